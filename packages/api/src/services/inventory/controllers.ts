// Controller use cases. Credentials are validated against the adapter's credentialSchema (JSON Schema), sealed bound to the row
// id, and never leave this module in clear except into the adapter's element for a call.
import { randomUUID } from 'node:crypto';
import type { AdapterManifest } from '@netplane/adapter-sdk';
import { controllersRepo, isUniqueViolation } from '@netplane/db';
import type { ADMIN_CONTROLLER_STATES } from '@netplane/domain';
import {
  AppError,
  type Controller,
  type ControllerCreateInput,
  type ControllerLimits,
  type ControllerUpdateInput,
  checkControllerTransition,
  DEFAULT_TIMEOUT_MS,
  LIMIT_BOUNDS,
} from '@netplane/domain';
import { recordAudit } from '../audit';
import { requireAdapter } from './adapters';
import { checkVersion, notFound, type ServiceCtx, staleVersion } from './context';
import { checkAgainstSchema } from './manifest-schemas';
import { getProvider } from './providers';

export function toControllerOutput(r: controllersRepo.ControllerRecord, adapterId: string): Controller {
  return {
    id: r.id,
    providerId: r.providerId,
    adapterId,
    name: r.name,
    endpoint: r.endpoint,
    protocol: r.protocol,
    config: r.config,
    limits: r.limits,
    resourceState: r.resourceState,
    health: r.health,
    hasCredentials: true,
    credentialsKeyId: r.credentialsKeyId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

export async function getControllerRecord(ctx: Pick<ServiceCtx, 'db'>, id: string) {
  const record = await controllersRepo.getController(ctx.db, id);
  if (!record) throw notFound('Controller', id);
  const provider = await getProvider(ctx, record.providerId);
  return { record, provider };
}

export async function getController(ctx: Pick<ServiceCtx, 'db'>, id: string): Promise<Controller> {
  const { record, provider } = await getControllerRecord(ctx, id);
  return toControllerOutput(record, provider.adapterId);
}

export async function listControllers(
  ctx: Pick<ServiceCtx, 'db'>,
  providerId?: string,
): Promise<Controller[]> {
  const records = await controllersRepo.listControllers(ctx.db, providerId);
  const adapters = new Map<string, string>();
  for (const id of new Set(records.map((r) => r.providerId)))
    adapters.set(id, (await getProvider(ctx, id)).adapterId);
  return records.map((r) => toControllerOutput(r, adapters.get(r.providerId) ?? ''));
}

/** Only field names and the validator's messages, never values: a credential must not come back in an error. */
export function parseCredentials(manifest: AdapterManifest, credentials: Record<string, string>) {
  const parsed = checkAgainstSchema<Record<string, string>>(manifest.credentialSchema, credentials);
  if (!parsed.ok) {
    const { problems } = parsed;
    throw new AppError(
      'BAD_INPUT',
      `Credentials do not match what ${manifest.id} needs: ${problems.join('; ')}`,
      {
        problems,
        expected: Object.keys(manifest.credentialSchema.properties ?? {}),
      },
    );
  }
  return parsed.data;
}

function parseConfig(manifest: AdapterManifest, config: Record<string, unknown>) {
  const parsed = checkAgainstSchema(manifest.configSchema, config);
  if (!parsed.ok) {
    const { problems } = parsed;
    throw new AppError(
      'BAD_INPUT',
      `Config does not match what ${manifest.id} needs: ${problems.join('; ')}`,
      {
        problems,
      },
    );
  }
  return parsed.data;
}

const clamp = (v: number, b: { min: number; max: number }) => Math.min(b.max, Math.max(b.min, Math.round(v)));

function defaultLimits(manifest: AdapterManifest): ControllerLimits {
  return {
    maxConcurrent: clamp(manifest.limits.recommendedConcurrency, LIMIT_BOUNDS.maxConcurrent),
    callsPerSecond: clamp(manifest.limits.recommendedCallsPerSecond, LIMIT_BOUNDS.callsPerSecond),
    timeoutMs: DEFAULT_TIMEOUT_MS,
  };
}

const nameTaken = (name: string) =>
  new AppError('CONFLICT', `This provider already has a controller named "${name}"`, { name });

export async function createController(ctx: ServiceCtx, input: ControllerCreateInput): Promise<Controller> {
  const provider = await getProvider(ctx, input.providerId);
  if (provider.state === 'Shutdown') {
    throw new AppError(
      'INVALID_STATE',
      `Provider "${provider.name}" is shut down; add it again to attach controllers`,
    );
  }
  const { manifest } = requireAdapter(ctx.deps, provider.adapterId);
  const protocol = input.protocol ?? manifest.protocol;
  if (protocol !== manifest.protocol) {
    throw new AppError('BAD_INPUT', `${manifest.id} speaks ${manifest.protocol}, not ${protocol}`);
  }
  const config = parseConfig(manifest, input.config);
  const credentials = parseCredentials(manifest, input.credentials);
  const id = randomUUID();
  const sealed = ctx.deps.secrets.encrypt(JSON.stringify(credentials), id);
  try {
    await controllersRepo.insertController(
      ctx.db,
      {
        id,
        providerId: provider.id,
        name: input.name,
        endpoint: input.endpoint,
        protocol,
        config,
        limits: { ...defaultLimits(manifest), ...input.limits },
        resourceState: 'Enabled',
        ciphertext: sealed.ciphertext,
        keyId: sealed.keyId,
      },
      ctx.deps.now(),
    );
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(input.name);
    throw e;
  }
  const controller = await getController(ctx, id);
  await recordAudit(ctx, 'controllers.create', { type: 'controller', id }, null, controller);
  return controller;
}

export async function updateController(ctx: ServiceCtx, input: ControllerUpdateInput): Promise<Controller> {
  const { record, provider } = await getControllerRecord(ctx, input.id);
  const version = checkVersion('Controller', input.id, record.version, input.version);
  const { manifest } = requireAdapter(ctx.deps, provider.adapterId);
  const before = toControllerOutput(record, provider.adapterId);
  let ok: boolean;
  try {
    ok = await controllersRepo.updateController(
      ctx.db,
      record.id,
      version,
      {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.endpoint !== undefined && { endpoint: input.endpoint }),
        ...(input.config !== undefined && { config: parseConfig(manifest, input.config) }),
        ...(input.limits !== undefined && { limits: { ...record.limits, ...input.limits } }),
      },
      ctx.deps.now(),
    );
  } catch (e) {
    if (isUniqueViolation(e) && input.name !== undefined) throw nameTaken(input.name);
    throw e;
  }
  if (!ok) throw staleVersion('Controller', record.id);
  const after = await getController(ctx, record.id);
  await recordAudit(ctx, 'controllers.update', { type: 'controller', id: record.id }, before, after);
  return after;
}

export async function rotateControllerCredentials(
  ctx: ServiceCtx,
  id: string,
  credentials: Record<string, string>,
): Promise<Controller> {
  const { record, provider } = await getControllerRecord(ctx, id);
  const { manifest } = requireAdapter(ctx.deps, provider.adapterId);
  const sealed = ctx.deps.secrets.encrypt(JSON.stringify(parseCredentials(manifest, credentials)), id);
  const ok = await controllersRepo.updateController(ctx.db, id, record.version, { sealed }, ctx.deps.now());
  if (!ok) throw staleVersion('Controller', id);
  const after = await getController(ctx, id);
  // The audit row says that the credentials changed and under which key, never what they are.
  await recordAudit(
    ctx,
    'controllers.rotateCredentials',
    { type: 'controller', id },
    { credentialsKeyId: record.credentialsKeyId },
    { credentialsKeyId: after.credentialsKeyId, replaced: true },
  );
  return after;
}

export async function setControllerResourceState(
  ctx: ServiceCtx,
  id: string,
  state: (typeof ADMIN_CONTROLLER_STATES)[number],
): Promise<Controller> {
  const { record, provider } = await getControllerRecord(ctx, id);
  const check = checkControllerTransition(record.resourceState, state);
  if (!check.ok) {
    throw new AppError(
      'INVALID_STATE',
      `Cannot move controller "${record.name}" from ${record.resourceState} to ${state}: ${check.reason}`,
    );
  }
  const before = toControllerOutput(record, provider.adapterId);
  if (record.resourceState === state) return before;
  const ok = await controllersRepo.updateController(
    ctx.db,
    id,
    record.version,
    { resourceState: state },
    ctx.deps.now(),
  );
  if (!ok) throw staleVersion('Controller', id);
  const after = await getController(ctx, id);
  await recordAudit(ctx, 'controllers.setResourceState', { type: 'controller', id }, before, after);
  return after;
}

export async function deleteController(ctx: ServiceCtx, id: string): Promise<void> {
  const before = await getController(ctx, id);
  if (await controllersRepo.isControllerInUse(ctx.db, id)) {
    throw new AppError(
      'IN_USE',
      `Controller "${before.name}" is used by networks; move or delete them first`,
    );
  }
  await controllersRepo.deleteController(ctx.db, id);
  await recordAudit(ctx, 'controllers.delete', { type: 'controller', id }, before, null);
}

export async function healthHistory(ctx: Pick<ServiceCtx, 'db'>, id: string, limit: number) {
  await getControllerRecord(ctx, id);
  return controllersRepo.listHealth(ctx.db, id, limit);
}
