// Shared test support: an OVN element on a real ovsdb-server, call contexts, polling.
import type { CallContext, NetworkElement } from '@netplane/adapter-sdk';
import type { OvsdbServerHandle } from '@netplane/ovsdb/testing';
import { onTestFailed } from 'vitest';
import ovnAdapter from '../src';

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function createElement(
  endpoint: string,
  config: Record<string, unknown> = {},
  credentials: Record<string, string> = {},
): NetworkElement {
  return ovnAdapter.createElement(
    { controllerId: 'ovn-test', endpoint, credentials, config },
    { logger: silentLogger },
  );
}

export const ctx = (signal?: AbortSignal): CallContext => ({
  signal: signal ?? AbortSignal.timeout(15_000),
  idempotencyKey: crypto.randomUUID(),
});

/**
 * A seeded PRNG (mulberry32) for tests that pick an arbitrary point: the seed comes from TEST_SEED or is drawn, and
 * is printed when the test fails, so any failing run can be replayed exactly.
 */
export function seededRandom(label: string): () => number {
  const seed = Number(process.env.TEST_SEED ?? Math.floor(Math.random() * 2 ** 32));
  onTestFailed(() => console.error(`${label}: seed ${seed} (replay: TEST_SEED=${seed})`));
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Polls a condition until it holds; the default deadline is generous for a loaded machine, under the 20 s test timeout. */
export async function waitFor<T>(
  read: () => Promise<T> | T,
  accept: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

/** Rows of `ovn-nbctl --format=csv --columns=... list <table>` as records. */
export async function nbctlList(
  server: OvsdbServerHandle,
  table: string,
  columns: string[],
): Promise<Record<string, string>[]> {
  const out = await server.nbctl([
    '--format=csv',
    '--data=bare',
    `--columns=${columns.join(',')}`,
    'list',
    table,
  ]);
  const [header, ...lines] = out.trim().split('\n');
  if (!header) return [];
  const cols = header.split(',');
  return lines.filter(Boolean).map((line) => {
    const cells = parseCsvLine(line);
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cur);
      cur = '';
    } else cur += c;
  }
  cells.push(cur);
  return cells;
}
