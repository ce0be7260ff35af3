// The bounds of one API request, shared by the server (which refuses past them) and the console's tRPC client
// (which must batch within them). docs/operations.md "Request limits" says why each is what it is.
export const REQUEST_LIMITS = {
  /** Procedures in one tRPC batch (`/trpc/a,b,c?batch=1`); the console's httpBatchLink splits at this size. */
  maxBatchSize: 10,
  /** Nesting of arrays and objects in one request's JSON input; no procedure's schema comes near 10. */
  maxJsonDepth: 64,
  /** Bytes of a POST body (the largest legal field is 1 MB). */
  maxBodyBytes: 2 * 1024 * 1024,
  /** Rows in one page of any list (`limit` 1..maxPageSize): with maxBatchSize it bounds one request's work. */
  maxPageSize: 200,
} as const;
