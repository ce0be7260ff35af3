// Builds the tRPC context of an HTTP request: session from the np_session cookie, the CSRF header check, the
// Origin / Sec-Fetch-Site check for public mutations, and a cookie setter that knows whether to add Secure.
import { timingSafeEqual } from 'node:crypto';
import {
  type ApiDeps,
  type Context,
  createContextInner,
  databaseUnavailableError,
  resolveSession,
  SESSION_COOKIE,
} from '@netplane/api';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { Request } from 'express';
import { parseCookies, sessionCookie } from './cookies';

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** false when a browser tells us the request was made by another site. Non-browser clients send neither header. */
export function isSameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false; // includes Origin: null (sandboxed frames, file://)
  }
}

export function makeCreateContext(deps: ApiDeps, opts: { cookieSecure: boolean }) {
  return async ({ req, res }: Pick<CreateExpressContextOptions, 'req' | 'res'>): Promise<Context> => {
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    // The session lookup is the first database read of every request: a lost database answers 503 from here too.
    const s = await resolveSession(deps, token).catch((e: unknown) => {
      throw databaseUnavailableError(e) ?? e;
    });
    const secure = opts.cookieSecure || req.secure;
    const csrfHeader = req.get('x-csrf-token');
    return createContextInner(deps, {
      user: s.status === 'ok' ? s.user : null,
      sessionId: s.status === 'ok' ? s.sessionId : null,
      csrfToken: s.status === 'ok' ? s.csrfToken : null,
      csrfOk: s.status === 'ok' && csrfHeader !== undefined && sameSecret(csrfHeader, s.csrfToken),
      originOk: isSameOrigin(req),
      sessionExpired: s.status === 'expired',
      ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      cookies: {
        set: (value, expiresAt) =>
          res.append('Set-Cookie', sessionCookie(SESSION_COOKIE, value, { expiresAt, secure })),
        clear: () => res.append('Set-Cookie', sessionCookie(SESSION_COOKIE, '', { expiresAt: null, secure })),
      },
    });
  };
}
