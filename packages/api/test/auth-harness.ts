// Test helpers for the auth tests: a cookie jar and a caller built the way the server's createContext builds one
// (session resolved from the cookie token), so idle/absolute expiry and CSRF are exercised for real.
import { createContextInner } from '../src/context';
import { resolveSession } from '../src/services/sessions';
import { createCallerFactory } from '../src/trpc';
import { testAppRouter as appRouter } from './fixtures/app-router';
import type { TestDeps } from './fixtures/deps';

const createCaller = createCallerFactory(appRouter);

export type Jar = { token: string | undefined };

export function jarCookies(jar: Jar) {
  return {
    set: (token: string) => {
      jar.token = token;
    },
    clear: () => {
      jar.token = undefined;
    },
  };
}

/** A caller as a browser would be: cookie token in the jar, CSRF header given or not. */
export async function browserCaller(
  t: TestDeps,
  jar: Jar,
  opts: { csrf?: string | undefined; ip?: string; originOk?: boolean } = {},
) {
  const s = await resolveSession(t.deps, jar.token);
  return createCaller(
    createContextInner(t.deps, {
      user: s.status === 'ok' ? s.user : null,
      sessionId: s.status === 'ok' ? s.sessionId : null,
      csrfToken: s.status === 'ok' ? s.csrfToken : null,
      csrfOk: s.status === 'ok' && opts.csrf === s.csrfToken,
      sessionExpired: s.status === 'expired',
      originOk: opts.originOk ?? true,
      ip: opts.ip ?? '10.0.0.1',
      cookies: jarCookies(jar),
    }),
  );
}

/** Expects a promise to reject with a TRPCError of this code; returns the error for further checks. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<Error & { code: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { code: string };
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}
