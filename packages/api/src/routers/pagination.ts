// The one shape of every growing list: input { cursor?, limit, sort?, dir?, ...filters }, output { items,
// nextCursor, total }. The cursor is opaque (packages/db keyset.ts makes and checks it); limit is 1..200.
import { REQUEST_LIMITS } from '@netplane/domain';
import { z } from 'zod';

export const MAX_PAGE = REQUEST_LIMITS.maxPageSize;
export const DEFAULT_PAGE = 50;

const pageFields = {
  /** The nextCursor of the previous page; absent for the first page. */
  cursor: z.string().min(1).max(1024).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
  dir: z.enum(['asc', 'desc']).optional(),
};

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

export function pageOutput<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
    total: z.number().int().min(0),
  });
}
