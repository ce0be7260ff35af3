// Who may do what in the console, mirroring the API's role procedures, so a control is hidden when it would be refused.
import type { Role } from '@netplane/domain';
import { assertNever } from '@netplane/domain';
import { useSession } from '../app/session';

export type Action =
  | 'inventory.edit' // zones, physical networks, providers, controllers, offerings: adminProcedure
  | 'provision' // VPCs, tiers, NICs: operatorProcedure
  | 'diagnostics.act' // retry, adopt, release, re-run negotiation, triage: supportProcedure
  | 'users.manage' // users.*: adminProcedure
  | 'simulator.control'; // fault injection: admin and operator

export function can(role: Role, action: Action): boolean {
  switch (action) {
    case 'inventory.edit':
    case 'users.manage':
      return role === 'admin';
    case 'provision':
    case 'simulator.control':
      return role === 'admin' || role === 'operator';
    case 'diagnostics.act':
      return role !== 'viewer';
    default:
      return assertNever(action, 'Action');
  }
}

/** True when the signed-in user's role allows the action. */
export function useCan(action: Action): boolean {
  const session = useSession();
  return session ? can(session.user.role, action) : false;
}
