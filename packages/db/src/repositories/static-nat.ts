// Static NAT rules: one public IP onto one NIC. Unique per NIC and per (zone, public IP) by constraint.
import type { Db } from '../connect';
import type { StaticNatRulesTable } from '../schema-public-services';

import { type RuleOp, type RuleState, ruleStateSetter } from './rule-state';

// The rule state types live with the shared state write (rule-state.ts); re-exported where LB and port forwarding
// rules and the engine have always found them.
export type { RuleOp, RuleState, RuleStateUpdate } from './rule-state';

export type StaticNatRow = {
  id: string;
  vpcId: string;
  networkId: string;
  nicId: string;
  zoneId: string;
  publicIp: string;
  /** The acquired address the rule uses (public_ips.id); null only on a rule from before addresses were acquired. */
  publicIpId: string | null;
  privateIp: string;
  state: RuleState;
  lastOp: RuleOp;
  lastError: string | null;
  /** JSON Condition[]: the rule's Realized condition (migration 017). */
  conditions: string;
  jobId: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
};

/** A rule with the names the console shows beside it. */
export type StaticNatListed = StaticNatRow & { networkName: string; vmName: string };

export const toStaticNat = (r: StaticNatRulesTable): StaticNatRow => ({
  id: r.id,
  vpcId: r.vpc_id,
  networkId: r.network_id,
  nicId: r.nic_id,
  zoneId: r.zone_id,
  publicIp: r.public_ip,
  publicIpId: r.public_ip_id,
  privateIp: r.private_ip,
  state: r.state as RuleState,
  lastOp: r.last_op as RuleOp,
  lastError: r.last_error,
  conditions: r.conditions,
  jobId: r.job_id,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export async function insertStaticNat(
  db: Db,
  r: Omit<StaticNatRow, 'version' | 'updatedAt' | 'lastError' | 'conditions'>,
): Promise<void> {
  await db
    .insertInto('static_nat_rules')
    .values({
      id: r.id,
      vpc_id: r.vpcId,
      network_id: r.networkId,
      nic_id: r.nicId,
      zone_id: r.zoneId,
      public_ip: r.publicIp,
      public_ip_id: r.publicIpId,
      private_ip: r.privateIp,
      state: r.state,
      last_op: r.lastOp,
      last_error: null,
      conditions: '[]',
      job_id: r.jobId,
      created_at: r.createdAt,
      updated_at: r.createdAt,
      version: 1,
    })
    .execute();
}

export async function getStaticNat(db: Db, id: string): Promise<StaticNatRow | undefined> {
  const r = await db.selectFrom('static_nat_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toStaticNat(r) : undefined;
}

export async function listStaticNatOfNics(db: Db, nicIds: readonly string[]): Promise<StaticNatRow[]> {
  if (nicIds.length === 0) return [];
  const out: StaticNatRow[] = [];
  for (let i = 0; i < nicIds.length; i += 500) {
    const rows = await db
      .selectFrom('static_nat_rules')
      .selectAll()
      .where('nic_id', 'in', nicIds.slice(i, i + 500))
      .execute();
    out.push(...rows.map(toStaticNat));
  }
  return out;
}

export async function listStaticNatOfNetwork(db: Db, networkId: string): Promise<StaticNatRow[]> {
  const rows = await db
    .selectFrom('static_nat_rules')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map(toStaticNat);
}

export async function listStaticNatOfVpc(db: Db, vpcId: string): Promise<StaticNatListed[]> {
  const rows = await db
    .selectFrom('static_nat_rules as r')
    .innerJoin('networks as n', 'n.id', 'r.network_id')
    .leftJoin('nics as c', 'c.id', 'r.nic_id')
    .selectAll('r')
    .select(['n.name as network_name', 'c.vm_name as vm_name'])
    .where('r.vpc_id', '=', vpcId)
    .orderBy('r.created_at', 'asc')
    .orderBy('r.id', 'asc')
    .execute();
  return rows.map((r) => ({ ...toStaticNat(r), networkName: r.network_name, vmName: r.vm_name ?? '' }));
}

/** Static NAT rules of the zone on this public IP (at most one by constraint). */
export async function staticNatOnPublicIp(db: Db, zoneId: string, publicIp: string) {
  const r = await db
    .selectFrom('static_nat_rules')
    .selectAll()
    .where('zone_id', '=', zoneId)
    .where('public_ip', '=', publicIp)
    .executeTakeFirst();
  return r ? toStaticNat(r) : undefined;
}

/** The rule's state write (rule-state.ts): false when no row matched (the update's `from`, or the row is gone). */
export const setStaticNatState = ruleStateSetter('staticNat');

export async function deleteStaticNat(db: Db, id: string): Promise<void> {
  await db.deleteFrom('static_nat_rules').where('id', '=', id).execute();
}

/** A rule's row read, state write and delete, as the engine's rule jobs use them for either kind (see lb-rules.ts). */
export const ruleRows = { get: getStaticNat, setState: setStaticNatState, remove: deleteStaticNat };
