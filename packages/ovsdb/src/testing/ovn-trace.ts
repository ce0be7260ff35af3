// Test helper: send a packet described in TypeScript through OVN's logical pipeline with `ovn-trace --ct=new` against
// a Southbound database (./ovn-northd.ts) and read its verdict with the product's parser (../ovn-trace.ts): delivered
// to which logical ports, or dropped at which stage and by which flow. Tests assert on the verdict, not on how
// ovn-trace prints it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { microflow, parseTrace, type TracePacket, type TraceVerdict } from '../ovn-trace';
import type { NorthdHandle } from './ovn-northd';

export { microflow, parseTrace, type TracePacket, type TraceStage, type TraceVerdict } from '../ovn-trace';

const run = promisify(execFile);

export type OvnTraceOptions = {
  /**
   * How many conntrack lookups report `new` (ovn-trace answers trk,est past the --ct options it was given). One, the
   * default, is the first lookup only; a new connection that crosses two switches and a router needs one per lookup.
   */
  ctNew?: number;
  /** The backend a ct_lb with several backends picks (ovn-trace picks at random without it). */
  lbDst?: string;
};

/**
 * Traces `packet` through the Southbound database of `northd`, after waiting for northd to have compiled every
 * Northbound change made so far (so the trace sees the rows the test just wrote).
 */
export async function ovnTrace(
  northd: NorthdHandle,
  packet: TracePacket,
  options: OvnTraceOptions = {},
): Promise<TraceVerdict> {
  await northd.sync();
  const { stdout } = await run('ovn-trace', [
    `--db=${northd.sb.unixEndpoint}`,
    ...Array.from({ length: options.ctNew ?? 1 }, () => '--ct=new'),
    ...(options.lbDst ? [`--lb-dst=${options.lbDst}`] : []),
    '--detailed',
    // Full port names: by default ovn-trace shortens the UUIDs in names, and ours embed UUIDs.
    '--no-friendly-names',
    packet.datapath,
    microflow(packet),
  ]);
  return parseTrace(stdout);
}
