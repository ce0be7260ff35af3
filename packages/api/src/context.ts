// The tRPC context. createContextInner takes no HTTP objects, so tests build a context with createCaller directly;
// the server's createContext adds the session read from the cookie (or the API token of an Authorization: Bearer
// header, services/token-auth.ts) and the CSRF and Origin checks.
import type { DbHandle } from '@netplane/db';
import type { AppError, Role } from '@netplane/domain';
import type { ApiDeps } from './deps';

export type AuthUser = { id: string; username: string; role: Role };

export type Context = {
  deps: ApiDeps;
  db: DbHandle['db'];
  user: AuthUser | null;
  /** Hash of the session token, to end this session on logout. */
  sessionId: string | null;
  /** The CSRF token of the current session, handed to the web app by auth.me. */
  csrfToken: string | null;
  /** true when the request carried a CSRF token matching its session (always true for in-process callers). */
  csrfOk: boolean;
  /** false when a browser said the request came from another site (Origin / Sec-Fetch-Site); guards public mutations. */
  originOk: boolean;
  /** The cookie named a session that has expired: lets the API say "Your session expired" instead of "Log in". */
  sessionExpired: boolean;
  /** Set when the request authenticated with an API token (then `user` has the token's role, capped by the user's). */
  apiToken: { id: string; name: string } | null;
  /** The Authorization: Bearer token was refused (bad, expired, revoked, throttled): every procedure answers this. */
  tokenRefusal: AppError | null;
  ip: string;
  /** Lets auth procedures set and clear the session cookie without knowing Express. */
  cookies: { set(token: string, expiresAt: number): void; clear(): void };
};

export function createContextInner(deps: ApiDeps, opts: Partial<Omit<Context, 'deps' | 'db'>> = {}): Context {
  return {
    deps,
    db: deps.db.db,
    user: opts.user ?? null,
    sessionId: opts.sessionId ?? null,
    csrfToken: opts.csrfToken ?? null,
    csrfOk: opts.csrfOk ?? true,
    originOk: opts.originOk ?? true,
    sessionExpired: opts.sessionExpired ?? false,
    apiToken: opts.apiToken ?? null,
    tokenRefusal: opts.tokenRefusal ?? null,
    ip: opts.ip ?? '127.0.0.1',
    cookies: opts.cookies ?? { set: () => {}, clear: () => {} },
  };
}
