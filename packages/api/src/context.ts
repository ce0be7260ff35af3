// The tRPC context. createContextInner takes no HTTP objects, so tests build a context with createCaller directly;
// the server's createContext adds the session read from the cookie and the CSRF check.
import type { DbHandle } from '@netplane/db';
import type { Role } from '@netplane/domain';
import type { ApiDeps } from './deps';

export type AuthUser = { id: string; username: string; role: Role };

export type Context = {
  deps: ApiDeps;
  db: DbHandle['db'];
  user: AuthUser | null;
  /** Hash of the session token, to end this session on logout. */
  sessionId: string | null;
  /** true when the request carried a CSRF token matching its session (always true for in-process callers). */
  csrfOk: boolean;
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
    csrfOk: opts.csrfOk ?? true,
    ip: opts.ip ?? '127.0.0.1',
    cookies: opts.cookies ?? { set: () => {}, clear: () => {} },
  };
}
