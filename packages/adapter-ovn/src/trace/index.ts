// trace(): the path one packet takes through a VPC, by ovn-trace against the Southbound database (--ct=new: the first
// packet of a connection), with the microflow built from Netplane's MACs and IPs (packet.ts) and the stages mapped
// back to our objects (hops.ts). The element's tracer (tracer.ts) asks its ovn-trace daemon when that is provably
// fresh, else runs ovn-trace once. When ovn-trace is not installed on this node the answer says so, never a guess.
import { AdapterError, TRACE_SPEC_VERSION, type TraceResult, type TraceSpec } from '@netplane/adapter-sdk';
import { parseTrace } from '@netplane/ovsdb';
import type { NbDatabase } from '../nb';
import { hopsOf } from './hops';
import { buildPacket } from './packet';
import type { OvnTracer } from './tracer';
import { readVpcView } from './view';

export { OvnTracer, registerTracer, tracerOf } from './tracer';

/** What the result shows of ovn-trace's output: enough for an expert, bounded for the API. */
const MAX_SHOWN_OUTPUT = 64 * 1024;
const TOOL = 'ovn-trace';

export const TRACE_TOOL_MISSING =
  'ovn-trace is not installed on this Netplane node (Debian package ovn-common)';

export async function traceOvn(
  db: NbDatabase,
  tracer: OvnTracer,
  spec: TraceSpec,
  signal: AbortSignal,
): Promise<TraceResult> {
  if (spec.version !== TRACE_SPEC_VERSION)
    throw new AdapterError('INVALID_REQUEST', `TraceSpec version ${String(spec.version)} is not supported`);
  const view = await readVpcView(db, spec.vpcId, signal);
  const built = buildPacket(spec, view);
  if (!('packet' in built)) return { ...built, hops: [], deliveredTo: null, tool: { name: TOOL } };
  const run = await tracer.run(built.packet, built.lbDst, signal);
  if (!run.ok) {
    const why = run.missing
      ? { reason: 'TraceToolMissing', message: TRACE_TOOL_MISSING }
      : { reason: run.reason, message: run.message };
    return {
      outcome: 'unavailable',
      ...why,
      hops: [],
      deliveredTo: null,
      tool: { name: TOOL, command: run.command },
    };
  }
  const output =
    run.stdout.length > MAX_SHOWN_OUTPUT
      ? `${run.stdout.slice(0, MAX_SHOWN_OUTPUT)}\n… (truncated)`
      : run.stdout;
  return {
    ...hopsOf(spec, view, built, parseTrace(run.stdout)),
    tool: { name: TOOL, command: run.command, output },
  };
}
