// observe() of port forwards: each Load_Balancer of ours with role 'pf' as kind pf (id = rule id), its VIPs folded
// back into the rule's ranges, and an issue when the row is not attached where apply puts it.
import type { ObservedResource } from '@netplane/adapter-sdk';
import { type CachedRow, toRecord, toUuids } from '@netplane/ovsdb';
import { protocolOf } from './lb';
import { EXT, names } from './names';

type Tagged = { row: CachedRow; ext: Record<string, string> };
type Holders = { rows(table: string): Iterable<CachedRow> };

const split = (hostPort: string) => {
  const i = hostPort.lastIndexOf(':');
  return { ip: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) };
};

export function observePortForwards(cache: Holders, lbs: readonly Tagged[]): ObservedResource[] {
  const attached = (table: string) => {
    const m = new Map<string, Set<string>>();
    for (const row of cache.rows(table)) m.set(String(row.name), new Set(toUuids(row.load_balancer)));
    return m;
  };
  const [switches, routers] = [attached('Logical_Switch'), attached('Logical_Router')];
  const out: ObservedResource[] = [];
  for (const { row, ext } of lbs) {
    const ruleId = ext[EXT.ruleId];
    if (ruleId === undefined) continue;
    const vips = Object.entries(toRecord(row.vips))
      .map(([vip, backend]) => ({ pub: split(vip), priv: split(backend.split(',')[0]?.trim() ?? '') }))
      .sort((a, b) => a.pub.port - b.pub.port);
    const first = vips[0];
    const last = vips.at(-1);
    const name = String(row.name);
    const issues: string[] = [];
    const ls = names.switch(ext[EXT.networkId] ?? '');
    const lr = names.router(ext[EXT.vpcId] ?? '');
    if (!switches.get(ls)?.has(row._uuid))
      issues.push(`Load_Balancer ${name} is not attached to switch ${ls}`);
    if (!routers.get(lr)?.has(row._uuid))
      issues.push(`Load_Balancer ${name} is not attached to router ${lr}`);
    out.push({
      kind: 'pf',
      id: ruleId,
      name,
      attributes: {
        publicIp: first?.pub.ip ?? '',
        protocol: protocolOf(row),
        publicPorts: first && last ? `${first.pub.port}-${last.pub.port}` : '',
        privateIp: first?.priv.ip ?? '',
        privatePorts: first && last ? `${first.priv.port}-${last.priv.port}` : '',
        networkId: ext[EXT.networkId] ?? '',
        nicId: ext[EXT.nicId] ?? '',
      },
      ...(issues.length > 0 ? { issues } : {}),
    });
  }
  return out;
}
