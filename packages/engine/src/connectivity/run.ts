// One trace on the controller: the Connectivity element of the tiers involved (the source NIC's, the destination
// NIC's, else any implemented tier of the VPC), called through the guarded call path (guards, call log, the
// controller's timeout) as a read-only 'observe' call. Whatever keeps the adapter from answering (no element, no
// trace call, credentials unreadable, the call failing or answering nonsense) is outcome `unavailable` with a
// reason, never an exception: a check must say why it could not run. Only a database outage is thrown.
import { toAdapterError } from '@netplane/adapter-sdk';
import { isDatabaseUnavailable, networksRepo } from '@netplane/db';
import { type TraceResult, traceResultSchema } from '@netplane/domain';
import { type ElementHandle, unreadableCredentialsOf } from '../elements';
import { CallFailed } from '../errors';
import type { EngineCore } from '../lifecycle/core';
import type { ResolvedTrace, VpcScope } from './resolve';

export type TraceRun = { result: TraceResult; controllerId: string | null; durationMs: number };

export const unavailable = (reason: string, message: string): TraceResult => ({
  outcome: 'unavailable',
  reason,
  message,
  hops: [],
  deliveredTo: null,
  tool: { name: 'netplane' },
});

/** SCREAMING_CASE → CamelCase: TIMEOUT → Timeout, RATE_LIMITED → RateLimited. */
const camel = (s: string) =>
  s
    .toLowerCase()
    .split('_')
    .map((w) => (w[0]?.toUpperCase() ?? '') + w.slice(1))
    .join('');

type Picked = { handle: ElementHandle; networkId: string } | { unavailable: TraceResult };

/** The Connectivity element of the first preferred tier that has one, else of any implemented tier. */
export async function pickElement(
  core: EngineCore,
  scope: VpcScope,
  preferred: readonly string[],
): Promise<Picked> {
  const live = scope.tiers.filter((t) => t.state === 'Implemented').map((t) => t.id);
  const order = [...new Set([...preferred, ...live])];
  const rows = (await networksRepo.listElements(core.deps.db.db, order)).filter(
    (e) => e.service === 'Connectivity',
  );
  const row = order.map((id) => rows.find((r) => r.networkId === id)).find((r) => r !== undefined);
  if (!row)
    return {
      unavailable: unavailable(
        'NotImplemented',
        `No tier of VPC ${scope.vpc.name} is implemented: no controller holds it to trace`,
      ),
    };
  try {
    const handle = await core.elements.get(row.controllerId);
    if (typeof handle.element.trace !== 'function')
      return {
        unavailable: unavailable(
          'TraceUnsupported',
          `Adapter ${handle.adapterId} (controller ${handle.controllerName}) cannot trace connectivity`,
        ),
      };
    return { handle, networkId: row.networkId };
  } catch (e) {
    const secret = unreadableCredentialsOf(e);
    if (secret)
      return {
        unavailable: unavailable(
          'CredentialsUnreadable',
          `The credentials of controller ${secret.controllerName} cannot be read: ${secret.reason}`,
        ),
      };
    throw e;
  }
}

/** Picks made for one matrix, by preferred tiers: its hundreds of traces need one element lookup per tier pair. */
export type PickCache = Map<string, Promise<Picked>>;

export async function runTrace(
  core: EngineCore,
  scope: VpcScope,
  resolved: ResolvedTrace,
  traceId: string,
  picks?: PickCache,
): Promise<TraceRun> {
  const t0 = performance.now();
  const done = (result: TraceResult, controllerId: string | null): TraceRun => ({
    result,
    controllerId,
    durationMs: performance.now() - t0,
  });
  const key = resolved.preferredTiers.join(',');
  let pick = picks?.get(key);
  if (!pick) {
    pick = pickElement(core, scope, resolved.preferredTiers);
    picks?.set(key, pick);
  }
  const picked = await pick;
  if ('unavailable' in picked) return done(picked.unavailable, null);
  const { handle } = picked;
  const { spec } = resolved;
  try {
    const raw = await core.calls.call({
      handle,
      phase: 'observe',
      target: { type: 'vpc', id: scope.vpc.id },
      vpcId: scope.vpc.id,
      networkId: picked.networkId,
      request: { op: 'trace', source: spec.source, destination: spec.destination, flow: spec.flow },
      idempotencyKey: `trace:${traceId}`,
      invoke: (e, c) => {
        if (!e.trace) throw new Error('The element has no trace call');
        return e.trace(spec, c);
      },
      summarize: (r) => ({ outcome: r.outcome, reason: r.reason, hops: r.hops.length }),
    });
    const parsed = traceResultSchema.safeParse(raw);
    if (!parsed.success)
      return done(
        unavailable(
          'InvalidTraceResult',
          `Adapter ${handle.adapterId} answered a trace Netplane cannot read: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        ),
        handle.controllerId,
      );
    return done(parsed.data, handle.controllerId);
  } catch (e) {
    if (isDatabaseUnavailable(e)) throw e;
    const err = e instanceof CallFailed ? e.error : toAdapterError(e);
    return done(
      unavailable(
        `Controller${camel(err.category)}`,
        `The trace on controller ${handle.controllerName} failed with ${err.category}: ${err.message}`,
      ),
      handle.controllerId,
    );
  }
}
