// Login throttling: failures counted per ip+username and per ip, in counters from a RateLimitStore (packages/db:
// a table shared by every node on MySQL, memory on SQLite), which the server opens and passes in.

import { memoryRateLimitStore, type RateLimitStore } from '@netplane/db';
import type { ApiDeps, LoginLimiter } from '../deps';

export type LoginLimitPolicy = {
  /** Failures allowed per ip+username within windowSec before a block of blockSec. */
  perUserIp: { points: number; windowSec: number; blockSec: number };
  /** Failures allowed per ip (any username) within windowSec before a block of blockSec. */
  perIp: { points: number; windowSec: number; blockSec: number };
};

export const DEFAULT_LOGIN_LIMITS: LoginLimitPolicy = {
  perUserIp: { points: 5, windowSec: 15 * 60, blockSec: 15 * 60 },
  perIp: { points: 50, windowSec: 60 * 60, blockSec: 60 * 60 },
};

function secondsLeft(res: { consumedPoints: number; msBeforeNext: number } | null, points: number): number {
  if (!res || res.consumedPoints <= points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

export async function createLoginLimiter(
  store: RateLimitStore,
  policy: LoginLimitPolicy = DEFAULT_LOGIN_LIMITS,
): Promise<LoginLimiter> {
  const userIp = await store.limiter({
    keyPrefix: 'np_login_user_ip',
    points: policy.perUserIp.points,
    duration: policy.perUserIp.windowSec,
    blockDuration: policy.perUserIp.blockSec,
  });
  const ip = await store.limiter({
    keyPrefix: 'np_login_ip',
    points: policy.perIp.points,
    duration: policy.perIp.windowSec,
    blockDuration: policy.perIp.blockSec,
  });
  const key = (a: string, u: string) => `${a}_${u.toLowerCase()}`;
  const swallowLimit = (e: unknown) => {
    // consume() rejects with a RateLimiterRes once over the limit: that is the counting we wanted.
    if (e instanceof Error) throw e;
  };
  return {
    async secondsBlocked(address, username) {
      const [a, b] = await Promise.all([userIp.get(key(address, username)), ip.get(address)]);
      return Math.max(secondsLeft(a, policy.perUserIp.points - 1), secondsLeft(b, policy.perIp.points - 1));
    },
    async recordFailure(address, username) {
      await Promise.all([
        userIp.consume(key(address, username)).catch(swallowLimit),
        ip.consume(address).catch(swallowLimit),
      ]);
    },
    async recordSuccess(address, username) {
      await userIp.delete(key(address, username));
    },
  };
}

const fallback = new WeakMap<ApiDeps, Promise<LoginLimiter>>();

/** The deps' limiter, or one memory limiter per deps object (in-process tests, or a server that set none). */
export function loginLimiterOf(deps: ApiDeps): Promise<LoginLimiter> {
  if (deps.loginLimiter) return Promise.resolve(deps.loginLimiter);
  let l = fallback.get(deps);
  if (!l) {
    l = createLoginLimiter(memoryRateLimitStore());
    fallback.set(deps, l);
  }
  return l;
}
