// Network service provider use cases: one per adapter per physical network, CloudStack's state rules, the admin's
// enabled services (a subset of the adapter's, whole groups where the adapter says so) and capability narrowing.
import { randomUUID } from 'node:crypto';
import type { AdapterManifest } from '@netplane/adapter-sdk';
import { controllersRepo, isUniqueViolation, providersRepo } from '@netplane/db';
import {
  AppError,
  checkProviderTransition,
  isControllerUsable,
  isProviderDeletable,
  narrowingProblems,
  offeredServices,
  type Provider,
  type ProviderCreateInput,
  type ProviderState,
  type ProviderUpdateInput,
  type Service,
  type ServiceCapabilities,
} from '@netplane/domain';
import { recordAudit } from '../audit';
import { requireAdapter } from './adapters';
import { checkVersion, notFound, type ServiceCtx, staleVersion } from './context';
import { getPhysicalNetwork } from './physical-networks';

export async function getProvider(ctx: Pick<ServiceCtx, 'db'>, id: string): Promise<Provider> {
  const p = await providersRepo.getProvider(ctx.db, id);
  if (!p) throw notFound('Provider', id);
  return p;
}

function checkServices(manifest: AdapterManifest, services: Service[], overrides: ServiceCapabilities) {
  const offered = new Set(offeredServices(manifest));
  const problems = services
    .filter((s) => !offered.has(s))
    .map((s) => `${s}: ${manifest.id} does not offer it`);
  if (!manifest.canEnableIndividualServices) {
    for (const group of manifest.serviceGroups ?? []) {
      const on = group.filter((s) => services.includes(s));
      if (on.length > 0 && on.length < group.length) {
        problems.push(`${group.join(', ')}: ${manifest.id} enables these only together`);
      }
    }
  }
  problems.push(...narrowingProblems(manifest.services, overrides));
  if (problems.length > 0) {
    throw new AppError('BAD_INPUT', `Provider settings rejected: ${problems.join('; ')}`, { problems });
  }
}

export async function createProvider(ctx: ServiceCtx, input: ProviderCreateInput): Promise<Provider> {
  const pn = await getPhysicalNetwork(ctx, input.physicalNetworkId);
  const { manifest } = requireAdapter(ctx.deps, input.adapterId);
  const enabledServices = input.enabledServices ?? offeredServices(manifest);
  checkServices(manifest, enabledServices, input.capabilityOverrides);
  const existing = await providersRepo.listProviders(ctx.db, pn.id);
  if (existing.some((p) => p.adapterId === manifest.id)) {
    throw new AppError(
      'CONFLICT',
      `Physical network "${pn.name}" already has a provider for ${manifest.id}`,
      {
        adapterId: manifest.id,
      },
    );
  }
  const name = input.name ?? manifest.displayName;
  const id = randomUUID();
  try {
    await providersRepo.insertProvider(
      ctx.db,
      {
        id,
        physicalNetworkId: pn.id,
        adapterId: manifest.id,
        name,
        // New providers start Disabled, as in CloudStack: add a controller, then enable.
        state: 'Disabled',
        enabledServices,
        capabilityOverrides: input.capabilityOverrides,
      },
      ctx.deps.now(),
    );
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new AppError('CONFLICT', `Physical network "${pn.name}" already has a provider named "${name}"`, {
        name,
      });
    }
    throw e;
  }
  const provider = await getProvider(ctx, id);
  await recordAudit(ctx, 'providers.create', { type: 'provider', id }, null, provider);
  return provider;
}

export async function updateProvider(ctx: ServiceCtx, input: ProviderUpdateInput): Promise<Provider> {
  const before = await getProvider(ctx, input.id);
  const version = checkVersion('Provider', input.id, before.version, input.version);
  const { manifest } = requireAdapter(ctx.deps, before.adapterId);
  const enabledServices = input.enabledServices ?? before.enabledServices;
  const capabilityOverrides = input.capabilityOverrides ?? before.capabilityOverrides;
  checkServices(manifest, enabledServices, capabilityOverrides);
  let ok: boolean;
  try {
    ok = await providersRepo.updateProvider(
      ctx.db,
      before.id,
      version,
      { ...(input.name !== undefined && { name: input.name }), enabledServices, capabilityOverrides },
      ctx.deps.now(),
    );
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError('CONFLICT', `A provider named "${input.name}" already exists here`);
    throw e;
  }
  if (!ok) throw staleVersion('Provider', before.id);
  const after = await getProvider(ctx, before.id);
  await recordAudit(ctx, 'providers.update', { type: 'provider', id: before.id }, before, after);
  return after;
}

export async function setProviderState(ctx: ServiceCtx, id: string, state: ProviderState): Promise<Provider> {
  const before = await getProvider(ctx, id);
  const controllers = await controllersRepo.listControllers(ctx.db, id);
  const check = checkProviderTransition(before.state, state, {
    hasUsableController: controllers.some((c) => isControllerUsable(c.resourceState)),
  });
  if (!check.ok) {
    throw new AppError(
      'INVALID_STATE',
      `Cannot move provider "${before.name}" from ${before.state} to ${state}: ${check.reason}`,
      {
        from: before.state,
        to: state,
      },
    );
  }
  if (before.state === state) return before;
  const ok = await providersRepo.updateProvider(ctx.db, id, before.version, { state }, ctx.deps.now());
  if (!ok) throw staleVersion('Provider', id);
  const after = await getProvider(ctx, id);
  await recordAudit(ctx, 'providers.setState', { type: 'provider', id }, before, after);
  return after;
}

export async function deleteProvider(ctx: ServiceCtx, id: string): Promise<void> {
  const before = await getProvider(ctx, id);
  if (!isProviderDeletable(before.state)) {
    throw new AppError(
      'INVALID_STATE',
      `Provider "${before.name}" is Enabled; disable or shut it down first`,
    );
  }
  const controllers = await controllersRepo.countControllersOfProvider(ctx.db, id);
  if (controllers > 0) {
    throw new AppError(
      'IN_USE',
      `Provider "${before.name}" still has ${controllers} controller(s); delete them first`,
      {
        controllers,
      },
    );
  }
  await providersRepo.deleteProvider(ctx.db, id);
  await recordAudit(ctx, 'providers.delete', { type: 'provider', id }, before, null);
}
