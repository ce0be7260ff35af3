// adapters.reload: asks an out-of-process adapter's runtime to start its installed version, move new calls to it and
// stop the old process once its in-flight calls ended (the runtime does that; this is the API's side). A reload
// applies to the node that serves the request: every node of a cluster runs its own adapter processes.
import { AppError } from '@netplane/domain';
import type { Context } from '../../context';
import type { AdapterRegistration } from '../../deps';
import { recordAudit } from '../audit';

export type ReloadOutcome =
  | { ok: true; id: string; previousVersion: string; version: string }
  | { ok: false; id: string; reason: string; version: string | null };

/** One reload at a time per adapter on this node: a second click while one runs is a clear 409, not a race. */
const running = new WeakMap<AdapterRegistration, true>();

function reloadable(ctx: Pick<Context, 'deps'>, id: string) {
  const reg = ctx.deps.adapters.find((a) => a.id === id);
  if (!reg) {
    const known = ctx.deps.adapters.map((a) => a.id).join(', ') || 'none';
    throw new AppError('NOT_FOUND', `No adapter with id ${id} is registered (registered: ${known})`, {
      adapterId: id,
    });
  }
  if (reg.status !== 'Fully Loaded')
    throw new AppError(
      'INVALID_STATE',
      `Adapter ${id} is unable to load (${reg.reason}); fix it and restart the server`,
      { adapterId: id, reason: 'UNABLE_TO_LOAD' },
    );
  if (!reg.reload)
    throw new AppError(
      'INVALID_STATE',
      `Adapter ${id} runs in process and cannot be reloaded without a restart`,
      { adapterId: id, reason: 'IN_PROCESS' },
    );
  return { reg, reload: reg.reload };
}

/** The answer carries the version that keeps running on its own: a runtime's reason may say it too. */
const withoutKeepsRunning = (reason: string) => reason.replace(/;? ?(version )?\S+ keeps running\.?$/, '');

export async function reloadAdapter(ctx: Context, id: string): Promise<ReloadOutcome> {
  const { reg, reload } = reloadable(ctx, id);
  if (running.has(reg))
    throw new AppError('CONFLICT', `A reload of adapter ${id} is already running on this node`, {
      adapterId: id,
      reason: 'RELOAD_RUNNING',
    });
  const before = reg.module.manifest.version;
  running.set(reg, true);
  let outcome: ReloadOutcome;
  try {
    const r = await reload();
    outcome = r.ok
      ? { ok: true, id, previousVersion: r.previousVersion, version: r.version }
      : { ok: false, id, reason: withoutKeepsRunning(r.reason), version: before };
  } catch (e) {
    // A runtime that throws instead of answering { ok: false } still kept the old process: say so, not a 500.
    outcome = { ok: false, id, reason: e instanceof Error ? e.message : String(e), version: before };
  } finally {
    running.delete(reg);
  }
  const after = outcome.ok
    ? { version: outcome.version, ok: true }
    : { version: before, ok: false, reason: outcome.reason };
  await recordAudit(ctx, 'adapters.reload', { type: 'adapter', id }, { version: before }, after);
  ctx.deps.logger.info(
    { adapterId: id, ...after, previousVersion: before },
    outcome.ok
      ? `Reloaded adapter ${id} ${before} → ${outcome.version}`
      : `Reload of adapter ${id} refused: ${outcome.reason}; ${before} keeps running`,
  );
  return outcome;
}
