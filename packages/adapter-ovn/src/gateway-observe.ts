// What observe() says about a VPC's gateway: the parts gone from the monitor cache, as issues of the tiers that go out
// through it (their repair, implementNetwork, rebuilds the gateway).
import { type CachedRow, toRecord, toUuids } from '@netplane/ovsdb';
import { EXT } from './names';

/** Per VPC id, the missing parts of the gateway its router records (netplane:gateway_port), one sentence each. */
export function gatewayIssuesOf(cache: {
  rows(table: string): Iterable<CachedRow>;
}): Map<string, (tier: string) => string[]> {
  const ports = new Map<string, CachedRow>();
  for (const row of cache.rows('Logical_Router_Port')) ports.set(String(row.name), row);
  const routed = new Set<string>();
  for (const row of cache.rows('Logical_Router_Static_Route')) {
    const e = toRecord(row.external_ids);
    // A route is not a root row: one in the cache is still on its router.
    if (e[EXT.role] === 'default-route') routed.add(e[EXT.vpcId] ?? '');
  }
  const out = new Map<string, (tier: string) => string[]>();
  for (const row of cache.rows('Logical_Router')) {
    const e = toRecord(row.external_ids);
    const name = e[EXT.gatewayPort];
    const vpcId = e[EXT.vpcId] ?? '';
    if (!name) continue;
    const port = ports.get(name);
    out.set(vpcId, (tier) => {
      const issues: string[] = [];
      if (!port) issues.push(`gateway port ${name} of the VPC of ${tier} is missing`);
      else if (toUuids(port.gateway_chassis).length === 0)
        issues.push(`gateway port ${name} of the VPC of ${tier} has no gateway chassis`);
      if (!routed.has(vpcId)) issues.push(`default route of the VPC of ${tier} is missing`);
      return issues;
    });
  }
  return out;
}
