// observe() of our Load_Balancer rows: Lb rules as kind lb, port forwards (role pf) as kind pf
// (port-forwarding-observe.ts).
import type { ObservedResource } from '@netplane/adapter-sdk';
import { type CachedRow, toAtoms, toRecord, toUuids } from '@netplane/ovsdb';
import { protocolOf } from './lb';
import { EXT, names } from './names';
import { PF_ROLE } from './port-forwarding';
import { observePortForwards } from './port-forwarding-observe';

const str = (v: unknown) => (v === undefined ? '' : String(v));

type Tagged = { row: CachedRow; ext: Record<string, string> };
type Holders = { rows(table: string): Iterable<CachedRow> };

export function observeBalancers(cache: Holders, lbs: readonly Tagged[]): ObservedResource[] {
  return [
    ...observeLoadBalancers(
      cache,
      lbs.filter(({ ext }) => ext[EXT.role] !== PF_ROLE),
    ),
    ...observePortForwards(
      cache,
      lbs.filter(({ ext }) => ext[EXT.role] === PF_ROLE),
    ),
  ];
}

/** Lb rules: the VIP, protocol and members, and whether the row is still on the tier's switch and VPC's router. */
function observeLoadBalancers(cache: Holders, lbs: readonly Tagged[]): ObservedResource[] {
  const holders = (table: string) => {
    const m = new Map<string, Set<string>>();
    for (const row of cache.rows(table)) m.set(str(row.name), new Set(toUuids(row.load_balancer)));
    return m;
  };
  const [switches, routers] = [holders('Logical_Switch'), holders('Logical_Router')];
  const out: ObservedResource[] = [];
  for (const { row, ext } of lbs) {
    const ruleId = ext[EXT.ruleId];
    if (ruleId === undefined) continue;
    const name = str(row.name);
    const vips = Object.entries(toRecord(row.vips));
    const members = vips
      .flatMap(([, backends]) => backends.split(','))
      .map((b) => b.trim())
      .filter(Boolean)
      .sort();
    const issues: string[] = [];
    const ls = names.switch(ext[EXT.networkId] ?? '');
    const lr = names.router(ext[EXT.vpcId] ?? '');
    if (!switches.get(ls)?.has(row._uuid))
      issues.push(`Load_Balancer ${name} is not attached to switch ${ls}`);
    if (!routers.get(lr)?.has(row._uuid))
      issues.push(`Load_Balancer ${name} is not attached to router ${lr}`);
    const fields = toAtoms(row.selection_fields).map(String).sort().join(',');
    if (ext['netplane:algorithm'] === 'source' && fields !== 'ip_src') {
      issues.push(`selection_fields of Load_Balancer ${name} are '${fields}', expected 'ip_src'`);
    }
    out.push({
      kind: 'lb',
      id: ruleId,
      name,
      attributes: {
        vip: vips.map(([vip]) => vip).join(','),
        protocol: protocolOf(row),
        members: members.join(','),
        networkId: ext[EXT.networkId] ?? '',
        algorithm: ext['netplane:algorithm'] ?? '',
      },
      ...(issues.length > 0 ? { issues } : {}),
    });
  }
  return out;
}
