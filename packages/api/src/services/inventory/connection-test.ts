// testConnection: build the adapter's element with the decrypted credentials, run healthCheck under the
// controller's timeout, store the result (and a history row), and report a failure as a result, not a 500.
import { abortable, toAdapterError, toAdapterLogger } from '@netplane/adapter-sdk';
import { controllersRepo } from '@netplane/db';
import { type ConnectionTestResult, isAppError } from '@netplane/domain';
import { recordAudit } from '../audit';
import { requireAdapter } from './adapters';
import type { ServiceCtx } from './context';
import { getControllerRecord } from './controllers';

/** An adapter's error text might quote what it was sent; no credential value may survive into storage or output. */
export function scrubSecrets(text: string, credentials: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(credentials)) {
    if (value.length >= 3) out = out.split(value).join('[redacted]');
  }
  return out;
}

type Outcome = Omit<ConnectionTestResult, 'checkedAt'>;

async function runHealthCheck(ctx: ServiceCtx, id: string): Promise<Outcome> {
  const { record, provider } = await getControllerRecord(ctx, id);
  const module = requireAdapter(ctx.deps, provider.adapterId);
  let credentials: Record<string, string>;
  try {
    credentials = JSON.parse(ctx.deps.secrets.decrypt(await sealedOf(ctx, id), id));
  } catch (e) {
    const detail = isAppError(e) ? e.message : 'Stored credentials cannot be read';
    return { ok: false, latencyMs: 0, version: null, detail, category: 'SECRET_UNREADABLE' };
  }
  const started = performance.now();
  const signal = AbortSignal.timeout(record.limits.timeoutMs);
  const element = module.createElement(
    { controllerId: id, endpoint: record.endpoint, credentials, config: record.config },
    { logger: toAdapterLogger(ctx.deps.logger, { adapterId: provider.adapterId, controllerId: id }) },
  );
  try {
    const h = await abortable(
      element.healthCheck({ signal, idempotencyKey: `health:${id}:${ctx.deps.now()}` }),
      signal,
    );
    return {
      ok: h.ok,
      latencyMs: Math.round(h.latencyMs),
      version: h.version ?? null,
      detail: h.detail === undefined ? null : scrubSecrets(h.detail, credentials),
      category: null,
    };
  } catch (e) {
    const err = toAdapterError(e);
    const vendor = err.vendorCode ? ` (vendor code ${err.vendorCode})` : '';
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      version: null,
      detail: scrubSecrets(`${err.category}: ${err.message}${vendor}`, credentials),
      category: err.category,
    };
  } finally {
    await element.close().catch(() => {});
  }
}

async function sealedOf(ctx: ServiceCtx, id: string): Promise<string> {
  const secret = await controllersRepo.getControllerSecret(ctx.db, id);
  return secret?.ciphertext ?? '';
}

export async function testConnection(ctx: ServiceCtx, id: string): Promise<ConnectionTestResult> {
  const outcome = await runHealthCheck(ctx, id);
  const checkedAt = ctx.deps.now();
  const health = {
    ok: outcome.ok,
    checkedAt,
    latencyMs: outcome.latencyMs,
    version: outcome.version,
    error: outcome.ok ? null : outcome.detail,
  };
  // Health is written with compare-and-set; a concurrent edit just means one more read.
  for (let attempt = 0; attempt < 3; attempt++) {
    const { record } = await getControllerRecord(ctx, id);
    if (await controllersRepo.updateController(ctx.db, id, record.version, { health }, checkedAt)) break;
  }
  await controllersRepo.insertHealth(ctx.db, {
    controllerId: id,
    checkedAt,
    ok: outcome.ok,
    latencyMs: outcome.latencyMs,
    error: health.error,
  });
  if (!outcome.ok) {
    ctx.deps.logger.warn(
      { controllerId: id, category: outcome.category },
      'Controller connection test failed',
    );
  }
  await recordAudit(ctx, 'controllers.testConnection', { type: 'controller', id }, null, {
    ok: outcome.ok,
    latencyMs: outcome.latencyMs,
    category: outcome.category,
  });
  return { ...outcome, checkedAt };
}
