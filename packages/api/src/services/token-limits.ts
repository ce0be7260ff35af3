// API token throttling. Refused tokens are counted per ip in the RateLimitStore the login limiter uses (a table
// shared by every node on MySQL, memory on SQLite), so guessing from many nodes' worth of requests adds up; the block
// itself is remembered in this node's memory once seen, so an accepted request never reads the shared table.
// Requests per token are counted in memory per node: a shared counter would be a database write per request.
import { memoryRateLimitStore, type RateLimitStore } from '@netplane/db';
import type { ApiDeps, TokenLimiter } from '../deps';

export type TokenLimitPolicy = {
  /** Refused tokens allowed per ip within windowSec before a block of blockSec. */
  failuresPerIp: { points: number; windowSec: number; blockSec: number };
  /** Requests per token per windowSec on one node. */
  requestsPerToken: { points: number; windowSec: number };
};

export const DEFAULT_TOKEN_LIMITS: TokenLimitPolicy = {
  failuresPerIp: { points: 20, windowSec: 10 * 60, blockSec: 15 * 60 },
  requestsPerToken: { points: 600, windowSec: 60 },
};

const secondsOf = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export async function createTokenLimiter(
  store: RateLimitStore,
  policy: TokenLimitPolicy = DEFAULT_TOKEN_LIMITS,
  now: () => number = Date.now,
): Promise<TokenLimiter> {
  const failures = await store.limiter({
    keyPrefix: 'np_token_fail_ip',
    points: policy.failuresPerIp.points,
    duration: policy.failuresPerIp.windowSec,
    blockDuration: policy.failuresPerIp.blockSec,
  });
  const requests = await memoryRateLimitStore().limiter({
    keyPrefix: 'np_token_req',
    points: policy.requestsPerToken.points,
    duration: policy.requestsPerToken.windowSec,
    blockDuration: 0,
  });
  // ip -> blocked until (epoch ms), learnt from the shared counter when a failure is recorded.
  const blockedUntil = new Map<string, number>();
  return {
    async secondsBlocked(ip) {
      const until = blockedUntil.get(ip);
      if (until === undefined) return 0;
      const left = until - now();
      if (left > 0) return secondsOf(left);
      blockedUntil.delete(ip);
      return 0;
    },
    async recordFailure(ip) {
      try {
        await failures.consume(ip);
      } catch (e) {
        // consume() rejects with a RateLimiterRes once over the limit: the ip is blocked for msBeforeNext.
        if (e instanceof Error) throw e;
        const res = e as { msBeforeNext: number };
        blockedUntil.set(ip, now() + res.msBeforeNext);
      }
    },
    async consumeRequest(tokenId) {
      try {
        await requests.consume(tokenId);
        return 0;
      } catch (e) {
        if (e instanceof Error) throw e;
        return secondsOf((e as { msBeforeNext: number }).msBeforeNext);
      }
    },
  };
}

const fallback = new WeakMap<ApiDeps, Promise<TokenLimiter>>();

/** The deps' limiter, or one memory limiter per deps object (in-process tests, or a server that set none). */
export function tokenLimiterOf(deps: ApiDeps): Promise<TokenLimiter> {
  if (deps.tokenLimiter) return Promise.resolve(deps.tokenLimiter);
  let l = fallback.get(deps);
  if (!l) {
    l = createTokenLimiter(memoryRateLimitStore());
    fallback.set(deps, l);
  }
  return l;
}
