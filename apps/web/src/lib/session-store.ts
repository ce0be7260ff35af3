// The browser-side session facts the tRPC link needs outside React: the CSRF token and whether we were logged in.
type SessionFacts = { csrfToken: string | null; wasLoggedIn: boolean };

let facts: SessionFacts = { csrfToken: null, wasLoggedIn: false };
let onExpired: (() => void) | null = null;

export function getSessionFacts(): SessionFacts {
  return facts;
}

/** Called whenever auth.me or auth.login answers with a user (or with none). */
export function rememberSession(csrfToken: string | null): void {
  facts = { csrfToken, wasLoggedIn: csrfToken !== null || facts.wasLoggedIn };
}

export function forgetSession(): void {
  facts = { csrfToken: null, wasLoggedIn: false };
}

/** The app registers how to react (navigate to /login) when the server says the session is gone. */
export function setSessionExpiredHandler(handler: () => void): void {
  onExpired = handler;
}

export function reportUnauthorized(): void {
  // Only a session that had been alive can expire; an anonymous visitor is simply not logged in yet.
  if (!facts.wasLoggedIn) return;
  facts = { csrfToken: null, wasLoggedIn: false };
  onExpired?.();
}
