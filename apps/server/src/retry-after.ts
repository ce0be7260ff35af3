// The Retry-After header of an answer whose errors say how long to wait (RATE_LIMITED, a lost database): /trpc and
// the REST API (/api/v1) set it alike, so scripts and proxies back off as browsers are told to.
export function retryAfterMeta(errors: readonly { cause?: unknown }[]): { headers?: Record<string, string> } {
  const wait = errors
    .map(
      (e) =>
        (e.cause as { details?: { retryAfterSeconds?: unknown } } | undefined)?.details?.retryAfterSeconds,
    )
    .find((v): v is number => typeof v === 'number');
  return wait === undefined ? {} : { headers: { 'retry-after': String(wait) } };
}
