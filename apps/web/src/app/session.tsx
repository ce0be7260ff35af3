// The signed-in session as React sees it: loaded once by the shell's gate, read by any component.
import type { Role } from '@netplane/domain';
import { createContext, useContext } from 'react';

export type SessionUser = { id: string; username: string; role: Role };
export type Session = { user: SessionUser; csrfToken: string | null };

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session | null {
  return useContext(SessionContext);
}
