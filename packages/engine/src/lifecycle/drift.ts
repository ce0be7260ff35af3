// Drift: what a controller's observe() reports compared with the desired state (pure). The reconcile and repair jobs
// (reconcile.ts, repair.ts) build the desired list and act on the drift.
import type { ObservedResource } from '@netplane/adapter-sdk';
import type { lbRulesRepo, portForwardingRepo, staticNatRepo } from '@netplane/db';

export type Drift = {
  kind: 'missing' | 'extra' | 'different';
  /** vpc, network, nic; nat (a static NAT, id = rule id) and lb (id = rule id); acl/dhcp/nat rows of a tier. */
  resource: ObservedResource['kind'];
  id: string;
  controllerId: string;
  /** The tier the resource belongs to, when known: its Synced condition carries the drift too. */
  networkId?: string | null;
  /** For `different`: attribute → { want, have }. */
  differences?: Record<string, { want: string; have: string }>;
  /** An issue the adapter reported on the resource itself (ACL deleted, port out of its group...). */
  message?: string;
};

export type Desired = {
  resource: ObservedResource['kind'];
  id: string;
  networkId: string | null;
  attributes: Record<string, string>;
};

/** A static NAT as observe() reports it (kind nat, type dnat_and_snat); the tier's SNAT rows are kind nat too. */
const isStaticNat = (o: ObservedResource) => o.kind === 'nat' && o.attributes.type === 'dnat_and_snat';
const COMPARED = (o: ObservedResource) =>
  o.kind === 'vpc' ||
  o.kind === 'network' ||
  o.kind === 'nic' ||
  o.kind === 'lb' ||
  o.kind === 'pf' ||
  isStaticNat(o);

export const natAttributes = (r: staticNatRepo.StaticNatRow) => ({
  type: 'dnat_and_snat',
  externalIp: r.publicIp,
  logicalIp: r.privateIp,
});

export const pfAttributes = (r: portForwardingRepo.PortForwardingRow) => ({
  publicIp: r.publicIp,
  protocol: r.protocol,
  publicPorts: `${r.publicPortStart}-${r.publicPortEnd}`,
  privateIp: r.privateIp,
  privatePorts: `${r.privatePortStart}-${r.privatePortEnd}`,
});

export const lbAttributes = (r: lbRulesRepo.LbRuleWithMembers) => ({
  vip: `${r.publicIp}:${r.publicPort}`,
  protocol: r.protocol,
  members: r.members
    .map((m) => `${m.ip}:${r.privatePort}`)
    .sort()
    .join(','),
});

/** The tier an observed resource belongs to: its own id for a tier, the prefix of a tier row's id, else unknown. */
function tierOfObserved(o: ObservedResource, desired: ReadonlyMap<string, Desired>): string | null {
  const want = desired.get(`${o.kind}:${o.id}`);
  if (want) return want.networkId;
  if (o.kind === 'network') return o.id;
  if (o.attributes.networkId) return o.attributes.networkId;
  // A tier's rows are named `<networkId>/<rule>` (DHCP by the tier id alone); a static NAT or LB by its rule id.
  if (o.kind === 'acl' || o.kind === 'dhcp' || (o.kind === 'nat' && !isStaticNat(o)))
    return o.id.split('/')[0] ?? null;
  return null;
}

export function diff(
  controllerId: string,
  desired: readonly Desired[],
  observed: readonly ObservedResource[],
  knownRuleIds: ReadonlySet<string> = new Set(),
): Drift[] {
  const drift: Drift[] = [];
  const seen = new Map(observed.filter(COMPARED).map((o) => [`${o.kind}:${o.id}`, o]));
  const wanted = new Map(desired.map((d) => [`${d.resource}:${d.id}`, d]));
  for (const d of desired) {
    const o = seen.get(`${d.resource}:${d.id}`);
    if (!o) {
      drift.push({ kind: 'missing', resource: d.resource, id: d.id, controllerId, networkId: d.networkId });
      continue;
    }
    const differences: Record<string, { want: string; have: string }> = {};
    for (const [k, want] of Object.entries(d.attributes)) {
      const have = o.attributes[k];
      if (have !== undefined && have !== want) differences[k] = { want, have };
    }
    if (Object.keys(differences).length > 0)
      drift.push({
        kind: 'different',
        resource: d.resource,
        id: d.id,
        controllerId,
        networkId: d.networkId,
        differences,
      });
  }
  for (const [key, o] of seen) {
    if (wanted.has(key) || o.kind === 'vpc') continue;
    // A rule that is ours but not Active (being applied or revoked, or in Error) is not drift.
    if ((o.kind === 'nat' || o.kind === 'lb' || o.kind === 'pf') && knownRuleIds.has(o.id)) continue;
    drift.push({
      kind: 'extra',
      resource: o.kind,
      id: o.id,
      controllerId,
      networkId: tierOfObserved(o, wanted),
    });
  }
  for (const o of observed) {
    for (const issue of o.issues ?? []) {
      drift.push({
        kind: 'different',
        resource: o.kind,
        id: o.id,
        controllerId,
        networkId: tierOfObserved(o, wanted),
        message: issue,
      });
    }
  }
  return drift;
}

export const describe = (d: Drift) =>
  d.message !== undefined
    ? `${d.resource} ${d.id}: ${d.message}`
    : d.kind === 'different'
      ? `${d.resource} ${d.id} differs: ${Object.entries(d.differences ?? {})
          .map(([k, v]) => `${k} is ${v.have}, want ${v.want}`)
          .join(', ')}`
      : `${d.resource} ${d.id} is ${d.kind} on controller ${d.controllerId}`;
