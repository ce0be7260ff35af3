// The words of the admins' credentials banner, kept pure so that they are tested without a browser.
import type { CredentialsHealth } from '@netplane/domain';

/** Undefined when nothing is unreadable; else the headline and the rest of the sentence. */
export function describeUnreadableCredentials(
  h: CredentialsHealth,
): { headline: string; detail: string } | undefined {
  if (h.unreadableRows === 0) return undefined;
  const names = h.controllers.map((c) => c.name);
  const more = h.unreadableRows - names.length;
  const which = `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  const keys = h.missingKeyIds.length === 1 ? 'master key' : 'master keys';
  return {
    headline:
      h.unreadableRows === 1
        ? '1 controller’s credentials cannot be decrypted'
        : `${h.unreadableRows} controllers’ credentials cannot be decrypted`,
    detail:
      `on this server: they are sealed under ${keys} ${h.missingKeyIds.join(', ')}, which it does not hold (${which}). ` +
      'Jobs on them fail until you restore the key (the key file master-keys.json or NETPLANE_MASTER_KEY, as on the ' +
      'other nodes) or re-enter their credentials in',
  };
}
