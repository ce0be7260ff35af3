// Load-balancing rules of a tier and their member NICs. The (zone, public IP, port, protocol) and (tier, name)
// pairs are unique by constraint; members are rewritten as a set.
import type { Db } from '../connect';
import type { LbRulesTable } from '../schema-public-services';
import { inTransaction } from '../transaction';
import { type RuleOp, type RuleState, ruleStateSetter } from './rule-state';

export type LbRuleRow = {
  id: string;
  vpcId: string;
  networkId: string;
  zoneId: string;
  name: string;
  publicIp: string;
  /** The acquired address the rule uses (public_ips.id); null only on a rule from before addresses were acquired. */
  publicIpId: string | null;
  publicPort: number;
  privatePort: number;
  protocol: string;
  algorithm: string;
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

export type LbMember = { nicId: string; vmName: string; ip: string; state: string };
export type LbRuleWithMembers = LbRuleRow & { members: LbMember[] };
export type LbRuleListed = LbRuleWithMembers & { networkName: string };

export const toLbRule = (r: LbRulesTable): LbRuleRow => ({
  id: r.id,
  vpcId: r.vpc_id,
  networkId: r.network_id,
  zoneId: r.zone_id,
  name: r.name,
  publicIp: r.public_ip,
  publicIpId: r.public_ip_id,
  publicPort: Number(r.public_port),
  privatePort: Number(r.private_port),
  protocol: r.protocol,
  algorithm: r.algorithm,
  state: r.state as RuleState,
  lastOp: r.last_op as RuleOp,
  lastError: r.last_error,
  conditions: r.conditions,
  jobId: r.job_id,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

/** Inserts the rule and its members in one transaction (the caller's, when `db` is one). */
export async function insertLbRule(
  db: Db,
  r: Omit<LbRuleRow, 'version' | 'updatedAt' | 'lastError' | 'conditions'>,
  nicIds: readonly string[],
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('lb_rules')
      .values({
        id: r.id,
        vpc_id: r.vpcId,
        network_id: r.networkId,
        zone_id: r.zoneId,
        name: r.name,
        public_ip: r.publicIp,
        public_ip_id: r.publicIpId,
        public_port: r.publicPort,
        private_port: r.privatePort,
        protocol: r.protocol,
        algorithm: r.algorithm,
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
    if (nicIds.length > 0) {
      await trx
        .insertInto('lb_members')
        .values(nicIds.map((nicId) => ({ rule_id: r.id, nic_id: nicId, created_at: r.createdAt })))
        .execute();
    }
  });
}

async function membersOf(db: Db, ruleIds: readonly string[]): Promise<Map<string, LbMember[]>> {
  const out = new Map<string, LbMember[]>();
  if (ruleIds.length === 0) return out;
  const rows = await db
    .selectFrom('lb_members as m')
    .leftJoin('nics as c', 'c.id', 'm.nic_id')
    .select(['m.rule_id', 'm.nic_id', 'c.vm_name', 'c.ip', 'c.state'])
    .where('m.rule_id', 'in', ruleIds)
    .orderBy('m.rule_id')
    .orderBy('c.ip')
    .execute();
  for (const r of rows) {
    const list = out.get(r.rule_id) ?? [];
    list.push({ nicId: r.nic_id, vmName: r.vm_name ?? '', ip: r.ip ?? '', state: r.state ?? 'Gone' });
    out.set(r.rule_id, list);
  }
  return out;
}

async function withMembers(db: Db, rows: readonly LbRuleRow[]): Promise<LbRuleWithMembers[]> {
  const members = await membersOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, members: members.get(r.id) ?? [] }));
}

export async function getLbRule(db: Db, id: string): Promise<LbRuleWithMembers | undefined> {
  const r = await db.selectFrom('lb_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? (await withMembers(db, [toLbRule(r)]))[0] : undefined;
}

export async function listLbRulesOfNetwork(db: Db, networkId: string): Promise<LbRuleWithMembers[]> {
  const rows = await db
    .selectFrom('lb_rules')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy('created_at', 'asc')
    .execute();
  return withMembers(db, rows.map(toLbRule));
}

export async function listLbRulesOfVpc(db: Db, vpcId: string): Promise<LbRuleListed[]> {
  const rows = await db
    .selectFrom('lb_rules as r')
    .innerJoin('networks as n', 'n.id', 'r.network_id')
    .selectAll('r')
    .select(['n.name as network_name'])
    .where('r.vpc_id', '=', vpcId)
    .orderBy('r.created_at', 'asc')
    .orderBy('r.id', 'asc')
    .execute();
  const rules = await withMembers(db, rows.map(toLbRule));
  return rules.map((r, i) => ({ ...r, networkName: rows[i]?.network_name ?? '' }));
}

/** The rules this NIC is a member of. */
export async function listLbRulesOfNic(db: Db, nicId: string): Promise<LbRuleWithMembers[]> {
  const rows = await db
    .selectFrom('lb_rules')
    .selectAll()
    .where('id', 'in', db.selectFrom('lb_members').select('rule_id').where('nic_id', '=', nicId))
    .orderBy('created_at', 'asc')
    .execute();
  return withMembers(db, rows.map(toLbRule));
}

/** LB rules of the zone on this public IP (any port). */
export async function lbRulesOnPublicIp(db: Db, zoneId: string, publicIp: string): Promise<LbRuleRow[]> {
  const rows = await db
    .selectFrom('lb_rules')
    .selectAll()
    .where('zone_id', '=', zoneId)
    .where('public_ip', '=', publicIp)
    .execute();
  return rows.map(toLbRule);
}

/** Rewrites the member set (two statements: run it inside a transaction where atomicity matters). */
export async function setMembers(
  db: Db,
  ruleId: string,
  nicIds: readonly string[],
  now: number,
): Promise<void> {
  await db.deleteFrom('lb_members').where('rule_id', '=', ruleId).execute();
  if (nicIds.length > 0) {
    await db
      .insertInto('lb_members')
      .values(nicIds.map((nicId) => ({ rule_id: ruleId, nic_id: nicId, created_at: now })))
      .execute();
  }
}

export async function removeMember(db: Db, ruleId: string, nicId: string): Promise<void> {
  await removeMembers(db, ruleId, [nicId]);
}

/** Takes NICs out of a rule (released NICs); one statement. */
export async function removeMembers(db: Db, ruleId: string, nicIds: readonly string[]): Promise<void> {
  if (nicIds.length === 0) return;
  await db.deleteFrom('lb_members').where('rule_id', '=', ruleId).where('nic_id', 'in', nicIds).execute();
}

/** The rule's state write (rule-state.ts): false when no row matched (the update's `from`, or the row is gone). */
export const setLbState = ruleStateSetter('lbRule');

/** Deletes the rule with its members; the engine runs it inside its fenced transaction. */
export async function deleteLbRule(db: Db, id: string): Promise<void> {
  await db.deleteFrom('lb_members').where('rule_id', '=', id).execute();
  await db.deleteFrom('lb_rules').where('id', '=', id).execute();
}

/** A rule's row read, state write and delete, as the engine's rule jobs use them for either kind (see static-nat.ts). */
export const ruleRows = { get: getLbRule, setState: setLbState, remove: deleteLbRule };
