// The one shape of every growing list: input { cursor?, limit, sort?, dir?, ...filters }, output { items,
// nextCursor, total }. The cursor is opaque (packages/db keyset.ts makes and checks it); limit is 1..200.
// The shape itself lives in packages/domain (pagination/page.ts), so adapters' admin procedures page the same way.
import { pageRequestFields } from '@netplane/domain';
import { z } from 'zod';

export { DEFAULT_PAGE, MAX_PAGE, pageOutput } from '@netplane/domain';

const pageFields = { ...pageRequestFields, dir: z.enum(['asc', 'desc']).optional() };

/** A list's input: the page fields, a sort among `sorts`, and the list's own filters. */
export function pageInput<S extends readonly [string, ...string[]], F extends z.ZodRawShape>(
  sorts: S,
  filters: F,
) {
  return z.object({ ...pageFields, sort: z.enum(sorts).optional(), ...filters });
}

/** The same, for a list whose every filter is optional: the whole input may be omitted. */
export function optionalPageInput<S extends readonly [string, ...string[]], F extends z.ZodRawShape>(
  sorts: S,
  filters: F,
) {
  // Every field is optional or defaulted, so {} is a valid input; zod cannot see that through the generic F.
  return pageInput(sorts, filters).prefault({} as never);
}
