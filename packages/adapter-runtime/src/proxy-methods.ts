// The element's methods as the proxy knows them before its first open answered (the manifest's promise), and a
// prepareNics answer's items rebuilt from the wire (docs/adapter-protocol.md).
import { AdapterError, type AdapterManifest, type BatchItemResult } from '@netplane/adapter-sdk';
import { decodeAdapterError, type OptionalMethod } from '@netplane/adapter-sdk/serve';

const ACL_LISTS = 'SupportsAclLists';

/** The optional calls the manifest promises (the contract: present exactly when it offers the service). */
export function manifestMethods(m: AdapterManifest): Set<OptionalMethod> {
  const out = new Set<OptionalMethod>(['checkRealized', 'trace']);
  if (m.services.StaticNat) out.add('applyStaticNat').add('revokeStaticNat');
  if (m.services.Lb) out.add('applyLbRule').add('revokeLbRule');
  if (m.services.PortForwarding) out.add('applyPortForwarding').add('revokePortForwarding');
  if (m.services.NetworkACL?.[ACL_LISTS] === true) out.add('applyNetworkAcl');
  return out;
}

/** A prepareNics answer with each failed item's wire error rebuilt into an AdapterError. */
export function decodeBatch(value: unknown): BatchItemResult[] {
  if (!Array.isArray(value))
    throw new AdapterError('VENDOR_ERROR', 'adapter protocol error: prepareNics answered no list');
  return value.map((item: Record<string, unknown>) =>
    item && item.ok === false
      ? ({
          ...item,
          error: decodeAdapterError((item.error as { message?: unknown })?.message, item.error),
        } as BatchItemResult)
      : (item as BatchItemResult),
  );
}
