// Runs ovn-trace against the Southbound database: execFile (no shell), a deadline, the call's signal, bounded output.
// TLS material goes to a private temp dir (0700, files 0600) for the run only and is removed after; neither the PEMs
// nor their paths appear in what the result shows.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { throwIfAborted } from '@netplane/adapter-sdk';
import { microflow, type TracePacket } from '@netplane/ovsdb';

export const TRACE_TIMEOUT_MS = 30_000;
/** ovn-trace's output of one packet is tens of kB; past this the run fails rather than fill memory. */
export const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/**
 * ovn-trace answers trk,est to every conntrack lookup past its --ct options; a new connection is new in each zone it
 * crosses (both switches, the router's SNAT and DNAT zones, a load balancer), so every lookup gets one.
 */
export const CT_LOOKUPS = 16;

export type TraceRun =
  | { ok: true; stdout: string; command: string }
  | { ok: false; missing: true; command: string }
  | { ok: false; missing: false; reason: string; message: string; command: string };

export const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

const PEMS = [
  ['private-key', 'privateKey', 'key.pem'],
  ['certificate', 'certificate', 'cert.pem'],
  ['ca-cert', 'caCertificate', 'ca.pem'],
] as const;

/** The TLS options as the result shows them: which were given, never the files' paths. */
export const shownTls = (endpoint: string, credentials: Record<string, string>): string[] =>
  endpoint.startsWith('ssl:')
    ? PEMS.filter(([, key]) => credentials[key]).map(([option]) => `--${option}=<${option}>`)
    : [];

/** The command the result shows: the one-shot run, which the daemon's answer is equivalent to. */
export const shownCommand = (endpoint: string, credentials: Record<string, string>, tail: string[]) =>
  ['ovn-trace', `--db=${endpoint}`, ...shownTls(endpoint, credentials), ...tail].map(quote).join(' ');

/** Writes the PEMs the endpoint needs; returns ovn-trace's TLS options and how to remove them. */
export async function tlsFiles(
  endpoint: string,
  credentials: Record<string, string>,
): Promise<{ args: string[]; shown: string[]; dispose: () => Promise<void> }> {
  const files = PEMS.map(([option, key, name]) => [option, credentials[key], name] as const);
  if (!endpoint.startsWith('ssl:') || files.every(([, pem]) => !pem))
    return { args: [], shown: [], dispose: async () => {} };
  const dir = await mkdtemp(path.join(tmpdir(), 'netplane-ovn-trace-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const args: string[] = [];
    const shown: string[] = [];
    for (const [option, pem, name] of files) {
      if (!pem) continue;
      const file = path.join(dir, name);
      await writeFile(file, pem, { mode: 0o600 });
      args.push(`--${option}=${file}`);
      shown.push(`--${option}=<${option}>`);
    }
    return { args, shown, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** One-shot ovn-trace's arguments after --db and TLS: the options and the packet. */
export const traceTail = (packet: TracePacket, lbDst?: string): string[] => [
  ...Array.from({ length: CT_LOOKUPS }, () => '--ct=new'),
  ...(lbDst ? [`--lb-dst=${lbDst}`] : []),
  '--detailed',
  // Our port names embed UUIDs, which friendly names would shorten.
  '--no-friendly-names',
  packet.datapath,
  microflow(packet),
];

export async function runOvnTrace(
  opts: { endpoint: string; credentials: Record<string, string>; packet: TracePacket; lbDst?: string },
  signal: AbortSignal,
): Promise<TraceRun> {
  const tail = traceTail(opts.packet, opts.lbDst);
  const tls = await tlsFiles(opts.endpoint, opts.credentials);
  const db = `--db=${opts.endpoint}`;
  const command = shownCommand(opts.endpoint, opts.credentials, tail);
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        'ovn-trace',
        [db, ...tls.args, ...tail],
        { signal, timeout: TRACE_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
        (error, out, err) => (error ? reject(Object.assign(error, { stderr: err })) : resolve(out)),
      );
    });
    return { ok: true, stdout, command };
  } catch (e) {
    throwIfAborted(signal);
    const err = e as NodeJS.ErrnoException & { killed?: boolean; stderr?: string };
    if (err.code === 'ENOENT') return { ok: false, missing: true, command };
    if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
      return {
        ok: false,
        missing: false,
        reason: 'TraceOutputTooLarge',
        message: `ovn-trace printed more than ${MAX_OUTPUT_BYTES} bytes`,
        command,
      };
    if (err.killed)
      return {
        ok: false,
        missing: false,
        reason: 'TraceTimedOut',
        message: `ovn-trace did not answer within ${TRACE_TIMEOUT_MS / 1000} s: is the Southbound database at ${opts.endpoint} reachable?`,
        command,
      };
    const last = ((err.stderr ?? '').trim().split('\n').at(-1) ?? '').replaceAll(tmpdir(), '<tmp>');
    return {
      ok: false,
      missing: false,
      // ovn-trace gives up at once on a database it cannot connect to (refused, or TLS not configured or refused).
      reason: /database connection failed/.test(last) ? 'SouthboundUnreachable' : 'TraceFailed',
      message: `ovn-trace failed: ${last || err.message}`,
      command,
    };
  } finally {
    await tls.dispose();
  }
}
