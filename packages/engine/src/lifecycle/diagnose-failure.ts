// A job's failed call on an entity that has no state machine of its own in StateStore (a rule, an ACL list, or a
// tier an ACL apply failed on): the diagnostics hook runs here, as StateStore runs it on entering Error. A failing
// hook is logged, never allowed to fail the job a second time.
import { type EntityErrorEvent, onEntityError } from '../diagnostics/hook';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import type { Failure } from './teardown';

export async function diagnoseFailure(
  core: EngineCore,
  ctx: JobContext,
  entity: { type: EntityErrorEvent['entityType']; id: string; vpcId: string | null; fromState: string },
  f: Omit<Failure, 'target'> & { code: string },
  message: string,
): Promise<void> {
  try {
    await onEntityError(core.deps.db.db, {
      entityType: entity.type,
      entityId: entity.id,
      vpcId: entity.vpcId,
      jobId: ctx.job.id,
      fromState: entity.fromState,
      code: f.code,
      category: f.category,
      // The credentials diagnosis names the controller; others find it through the failed call.
      ...(f.code === 'CREDENTIALS_UNREADABLE' && { controllerId: f.controllerId }),
      message,
      ...(f.callId && { rootCallId: f.callId }),
      at: core.deps.now(),
    });
  } catch (e) {
    core.deps.logger.warn({ target: entity.id, err: String(e) }, 'Diagnostics hook failed');
  }
}
