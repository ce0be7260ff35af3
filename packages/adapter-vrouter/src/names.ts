// Names of everything the adapter makes on the router host, and the tags that carry Netplane's ids.
// Linux interface names hold 15 bytes, far too few for a UUID, so a name is the controller's prefix, one letter of
// kind and 10 hex of a hash of our id (or the VLAN/VNI); the ids themselves are in the interface's alias (ifalias,
// 255 bytes), which `ip -j link` reads back. A namespace name may be long: it carries the VPC id itself, and its
// loopback's alias is the tag that says it is ours.
import { createHash } from 'node:crypto';

export const TAG = 'netplane:';
export const MAX_BATCH = 1000;

const h10 = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 10);

export type Names = ReturnType<typeof namesFor>;

export function namesFor(prefix: string) {
  return {
    prefix,
    /** The VPC's router namespace. */
    routerNs: (vpcId: string) => `${prefix}-vpc-${vpcId}`,
    /** The tier's bridge: one per VLAN id or VNI, so the kernel itself refuses a second tier on a segment. */
    bridge: (method: 'VLAN' | 'VXLAN', segmentId: number) =>
      method === 'VLAN' ? `${prefix}l${segmentId}` : `${prefix}x${segmentId}`,
    vxlan: (vni: number) => `${prefix}v${vni}`,
    /** The gateway veth: `r` on the bridge in the host namespace, `g` (with the gateway address) in the router's. */
    gatewayBridgeSide: (networkId: string) => `${prefix}r${h10(networkId)}`,
    gatewayRouterSide: (networkId: string) => `${prefix}g${h10(networkId)}`,
    /** A NIC: `n` is the bridge port, `m` its peer with the NIC's MAC, left in the host namespace for the VM. */
    nicPort: (nicId: string) => `${prefix}n${h10(nicId)}`,
    nicPeer: (nicId: string) => `${prefix}m${h10(nicId)}`,
  };
}

/** The ids and facts a tag carries: `netplane:kind=nic,nic=<id>,net=<id>,vpc=<id>,mac=..,ip=..`. */
export type Tag = Record<string, string>;

export function encodeTag(fields: Tag): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const tag = `${TAG}${body}`;
  if (tag.length > 255 || /[\s"'\\]/.test(tag)) throw new Error(`tag not encodable: ${tag}`);
  return tag;
}

/** The tag's fields, or null when the alias is not one of ours (absent, or someone else's text). */
export function parseTag(alias: string | undefined | null): Tag | null {
  if (!alias?.startsWith(TAG)) return null;
  const out: Tag = {};
  for (const part of alias.slice(TAG.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}
