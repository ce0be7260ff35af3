// One verdict per observed resource, from the Northbound snapshot (VpcRows) and what the Southbound holds (SbFacts):
// a datapath for the VPC's router and each tier's switch, a Port_Binding for each NIC, logical flows for each rule, and
// for NAT, LB and port forwarding a gateway chassis (without one they are accepted but never take effect).
import {
  unrealizedVerdict as no,
  type ObservedResource,
  type RealizedResource,
  type RealizedVerdict as Verdict,
  realizedVerdict as yes,
} from '@netplane/adapter-sdk';
import { REALIZED_REASONS as R } from '@netplane/domain';
import { type CachedRow, optional, toRecord, toUuids } from '@netplane/ovsdb';
import { EXT } from '../names';
import type { SbFacts } from './sb-facts';
import { stageHint } from './sb-facts';
import { chassisRedirect, type VpcRows } from './vpc-rows';

const short = (uuid: string) => uuid.slice(0, 8);

export function verdictOf(r: ObservedResource, rows: VpcRows, sb: SbFacts): RealizedResource {
  return { kind: r.kind, id: r.id, ...judge(r, rows, sb) };
}

function judge(r: ObservedResource, rows: VpcRows, sb: SbFacts): Verdict {
  switch (r.kind) {
    case 'vpc':
      return datapath('Logical_Router', rows.router, sb);
    case 'network':
      return datapath('Logical_Switch', rows.tierSwitch(r.id), sb);
    case 'nic':
      return nic(r.name, rows.nicPort(r.id), rows, sb);
    case 'acl':
      return acl(r, rows, sb);
    case 'dhcp':
      return dhcp(r.id, rows, sb);
    case 'nat':
    case 'lb':
    case 'pf':
      return gatewayRule(r, rows, sb);
  }
}

function datapath(table: string, row: CachedRow | undefined, sb: SbFacts): Verdict {
  if (!row) return no(R.notCompiled, `${table} is gone from the Northbound database`);
  const dp = sb.datapathOf(row._uuid);
  const name = String(row.name);
  if (!dp) return no(R.notCompiled, `${table} ${name} has no Datapath_Binding in the Southbound database`);
  return yes(`${table} ${name} is compiled into a datapath`, [
    `Datapath_Binding ${short(dp.uuid)} (tunnel key ${dp.tunnelKey}) for ${table} ${name}`,
  ]);
}

function nic(name: string, lsp: CachedRow | undefined, rows: VpcRows, sb: SbFacts): Verdict {
  if (!lsp) return no(R.portNotBound, `port ${name} is gone from the Northbound database`);
  const b = sb.binding(name);
  if (!b) return no(R.portNotBound, `port ${name} has no Port_Binding in the Southbound database`);
  const tier = rows.tierSwitch(toRecord(lsp.external_ids)[EXT.networkId] ?? '');
  const dp = tier ? sb.datapathOf(tier._uuid) : undefined;
  const on =
    dp && dp.uuid === b.datapath ? `datapath ${String(tier?.name)}` : `datapath ${short(b.datapath ?? '?')}`;
  // The logical binding is what northd makes; a chassis claims it only where an ovn-controller runs the VM.
  const chassis = b.chassis
    ? `chassis ${sb.chassisName(b.chassis) ?? short(b.chassis)} (${b.up ? 'up' : 'not up yet'})`
    : 'no chassis has claimed it yet (no ovn-controller runs this VM)';
  return yes(`port ${name} is bound in the Southbound database`, [`Port_Binding ${name} on ${on}`, chassis]);
}

function acl(r: ObservedResource, rows: VpcRows, sb: SbFacts): Verdict {
  const networkId = r.id.slice(0, r.id.indexOf('/'));
  const tier = rows.tierSwitch(networkId);
  const dp = tier ? sb.datapathOf(tier._uuid) : undefined;
  const acls = rows.acls(r.id);
  const what = r.id.endsWith('/list') ? `ACL list ${r.name}` : `ACL ${r.name}`;
  if (!tier || !dp) return no(R.notCompiled, `the tier's switch of ${what} has no datapath`);
  const pg = rows.portGroup(networkId);
  if (toUuids(pg?.ports).length === 0)
    // northd compiles a port group's ACLs onto the switches of its ports: with none there is nothing to enforce yet.
    return yes(`${what} applies to no port yet: nothing to compile`, [
      `Port_Group ${String(pg?.name)} is empty`,
    ]);
  const missing: string[] = [];
  const evidence: string[] = [];
  for (const a of acls) {
    const f = sb.flowsOf(a._uuid, [dp.uuid]);
    const label = `ACL ${String(optional(a.name) ?? short(a._uuid))}`;
    if (f.count === 0) missing.push(label);
    else evidence.push(`${label}: ${flowText(f, a._uuid)}`);
  }
  if (missing.length > 0)
    return no(R.notCompiled, `${missing.join(', ')} of ${what} compiled to no logical flow`, evidence);
  return yes(`${what} is compiled into logical flows`, evidence);
}

function dhcp(networkId: string, rows: VpcRows, sb: SbFacts): Verdict {
  const row = rows.dhcp(networkId);
  const tier = rows.tierSwitch(networkId);
  const dp = tier ? sb.datapathOf(tier._uuid) : undefined;
  if (!row) return no(R.notCompiled, 'DHCP_Options are gone from the Northbound database');
  if (!dp) return no(R.notCompiled, `the tier's switch has no datapath for DHCP options ${String(row.cidr)}`);
  if (rows.dhcpUsers(row._uuid).length === 0)
    return yes(`DHCP options ${String(row.cidr)} serve no port yet: nothing to compile`, []);
  const f = sb.flowsOf(row._uuid, [dp.uuid]);
  if (f.count === 0) return no(R.notCompiled, `DHCP options ${String(row.cidr)} compiled to no logical flow`);
  return yes(`DHCP options ${String(row.cidr)} are compiled into logical flows`, [flowText(f, row._uuid)]);
}

/** NAT, LB and port forwarding: only through the VPC's gateway, and compiled onto the router (LB also the switch). */
function gatewayRule(r: ObservedResource, rows: VpcRows, sb: SbFacts): Verdict {
  const what = r.kind === 'nat' ? `NAT ${r.name}` : `Load_Balancer ${r.name}`;
  const row = rows.rowOf(r);
  if (!row) return no(R.notCompiled, `${what} is gone from the Northbound database`);
  const gw = rows.gateway;
  if ('missing' in gw)
    return no(R.noGatewayChassis, `${what} never takes effect: ${gw.missing}`, [gw.missing]);
  const router = rows.router ? sb.datapathOf(rows.router._uuid) : undefined;
  if (!router) return no(R.notCompiled, `the VPC's router has no datapath for ${what}`);
  const tier = rows.tierSwitch(r.attributes.networkId ?? r.id.split('/')[0] ?? '');
  const tierDp = tier ? sb.datapathOf(tier._uuid) : undefined;
  const on = r.kind === 'nat' || !tierDp ? [router.uuid] : [router.uuid, tierDp.uuid];
  const f = sb.flowsOf(row._uuid, on);
  const gateway = gatewayEvidence(gw.port, gw.chassis, sb);
  if (!sb.binding(chassisRedirect(gw.port)))
    return no(R.notCompiled, `gateway port ${gw.port} has no chassis-redirect binding for ${what}`, gateway);
  if (f.count === 0) return no(R.notCompiled, `${what} compiled to no logical flow`, gateway);
  return yes(`${what} is compiled into logical flows`, [flowText(f, row._uuid), ...gateway]);
}

function gatewayEvidence(port: string, chassis: readonly string[], sb: SbFacts): string[] {
  const cr = sb.binding(chassisRedirect(port));
  const names = chassis.map((c) =>
    sb.isChassisRegistered(c) ? c : `${c} (not in the Southbound Chassis table)`,
  );
  const claimed = cr?.chassis
    ? `${chassisRedirect(port)} is on chassis ${sb.chassisName(cr.chassis) ?? short(cr.chassis)}`
    : `${chassisRedirect(port)} is not claimed by a chassis yet`;
  return [`gateway port ${port} on ${names.join(', ') || 'an HA chassis group'}`, claimed];
}

function flowText(f: { count: number; stages: string[] }, nbUuid: string): string {
  const stages = f.stages.length > 4 ? `${f.stages.slice(0, 4).join(', ')}…` : f.stages.join(', ');
  return `${f.count} logical flow${f.count === 1 ? '' : 's'} with stage-hint ${stageHint(nbUuid)} (${stages})`;
}
