// Transaction guards: "wait" operations that make a read-then-write atomic against concurrent writers.
import { map, op, type Uuid, type WaitOp, where } from '@netplane/ovsdb';
import { EXT, OWNER } from './names';

/** Fails the transaction ("timed out") if a row named `name` appeared since we read the table. */
export const noRowNamed = (table: string, name: string): WaitOp =>
  op.wait(table, [where.eq('name', name)], ['name'], '==', [], 0);

/**
 * Fails the transaction ("timed out") unless the row we read is still there: a mutate that adds children to a row
 * deleted meanwhile would match nothing, and the new children would be garbage-collected without an error.
 */
export const rowStillNamed = (table: string, uuid: Uuid, name: string): WaitOp =>
  op.wait(table, [where.eq('_uuid', uuid)], ['name'], '==', [{ name }], 0);

/** Fails the transaction if a row of ours tagged with this network id appeared since we read the table. */
export const noRowTagged = (
  table: string,
  key: string,
  value: string,
  more: Record<string, string> = {},
): WaitOp =>
  op.wait(
    table,
    [where.includes('external_ids', map({ [EXT.owner]: OWNER, [key]: value, ...more }))],
    ['_uuid'],
    '==',
    [],
    0,
  );

/** A condition selecting our rows that carry `key=value` in external_ids. */
export const taggedWith = (key: string, value: string, more: Record<string, string> = {}) =>
  where.includes('external_ids', map({ [EXT.owner]: OWNER, [key]: value, ...more }));

/** Retries a read-decide-write cycle a few times when a guard saw a concurrent writer. */
export async function withGuardRetry<T>(
  cycle: () => Promise<T>,
  isRetryable: (e: unknown) => boolean,
  attempts = 4,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await cycle();
    } catch (e) {
      if (i >= attempts || !isRetryable(e)) throw e;
    }
  }
}
