// One-shot helpers: connect, run one transaction, disconnect (used by the benchmark as the raw baseline).
import { type ClientOptions, OvsdbClient } from './client';
import type { Operation, OperationResult } from './operations';

export type RawTransactResult = { results: OperationResult[]; elapsedMs: number };

/** Runs `operations` as a single transaction on a fresh connection; elapsedMs excludes connecting. */
export async function rawTransact(
  options: ClientOptions | string,
  db: string,
  operations: Operation[],
  signal?: AbortSignal,
): Promise<RawTransactResult> {
  const opts = typeof options === 'string' ? { endpoint: options, probeIntervalMs: 0 } : options;
  const client = await OvsdbClient.connect(opts, signal);
  try {
    const t0 = performance.now();
    const results = await client.transact(db, operations, signal ? { signal } : {});
    return { results, elapsedMs: performance.now() - t0 };
  } finally {
    await client.close();
  }
}
