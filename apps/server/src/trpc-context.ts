// Builds the tRPC context of an HTTP request: the user from an `Authorization: Bearer` API token, else the session
// from the np_session cookie with the CSRF header check; the Origin / Sec-Fetch-Site check for mutations; and a
// cookie setter that knows whether to add Secure. A bearer request needs no CSRF token: a browser cannot attach an
// Authorization header to a cross-site request without a CORS preflight, which this server never grants.
import { timingSafeEqual } from 'node:crypto';
import {
  type ApiDeps,
  bearerOf,
  type Context,
  createContextInner,
  databaseUnavailableError,
  resolveBearer,
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
    const secure = opts.cookieSecure || req.secure;
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const common = {
      originOk: isSameOrigin(req),
      ip,
      cookies: {
        set: (value: string, expiresAt: number) =>
          res.append('Set-Cookie', sessionCookie(SESSION_COOKIE, value, { expiresAt, secure })),
        clear: () => res.append('Set-Cookie', sessionCookie(SESSION_COOKIE, '', { expiresAt: null, secure })),
      },
    };
    // The session (or token) lookup is the first database read of every request: a lost database answers 503 here.
    const unavailable = (e: unknown) => {
      throw databaseUnavailableError(e) ?? e;
    };
    const bearer = bearerOf(req.get('authorization'));
    if (bearer !== undefined) {
      // A bearer request is the token's alone: a cookie beside it is ignored, neither session nor CSRF applies.
      const b = await resolveBearer(deps, bearer, ip).catch(unavailable);
      return createContextInner(deps, {
        ...common,
        user: b.status === 'ok' ? b.user : null,
        apiToken: b.status === 'ok' ? b.apiToken : null,
        tokenRefusal: b.status === 'refused' ? b.error : null,
        csrfOk: true,
      });
    }
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    const s = await resolveSession(deps, token).catch(unavailable);
    const csrfHeader = req.get('x-csrf-token');
    return createContextInner(deps, {
      ...common,
      user: s.status === 'ok' ? s.user : null,
      sessionId: s.status === 'ok' ? s.sessionId : null,
      csrfToken: s.status === 'ok' ? s.csrfToken : null,
      csrfOk: s.status === 'ok' && csrfHeader !== undefined && sameSecret(csrfHeader, s.csrfToken),
      sessionExpired: s.status === 'expired',
    });
  };
}
