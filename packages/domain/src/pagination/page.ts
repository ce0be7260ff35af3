// The one page shape of every growing list, shared by the API's routers and the adapters' admin procedures:
// input { cursor?, limit, ... }, output { items, nextCursor, total }. The cursor is opaque to the caller.
import { z } from 'zod';
import { REQUEST_LIMITS } from '../http/request-limits';

export const MAX_PAGE = REQUEST_LIMITS.maxPageSize;
export const DEFAULT_PAGE = 50;

/** The fields every paged input has: the previous page's nextCursor (absent for the first page) and the limit. */
export const pageRequestFields = {
  cursor: z.string().min(1).max(1024).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
};

export function pageOutput<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** null on the last page. */
    nextCursor: z.string().nullable(),
    /** Rows matching the filters, over all pages. */
    total: z.number().int().min(0),
    /**
     * Set (true) by the lists whose count is capped (jobs, element calls) when more rows match than were counted:
     * `total` is then the cap, a lower bound ("10,000+"), not the number of rows. Absent otherwise.
     */
    totalCapped: z.boolean().optional(),
  });
}
