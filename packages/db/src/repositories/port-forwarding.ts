// Port forwarding rules: a port range of an acquired public IP onto one NIC. Which rules may share an address (no
// overlapping range on one protocol, no static NAT) is decided with every other kind in public-ip-use.ts.
import type { Db } from '../connect';
import type { PortForwardingRulesTable } from '../schema-port-forwarding';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';
import { type RuleOp, type RuleState, ruleStateSetter } from './rule-state';

export type PortForwardingRow = {
  id: string;
  vpcId: string;
  networkId: string;
  nicId: string;
  zoneId: string;
  publicIpId: string;
  publicIp: string;
  privateIp: string;
  protocol: 'tcp' | 'udp';
  publicPortStart: number;
  publicPortEnd: number;
  privatePortStart: number;
  privatePortEnd: number;
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
export type PortForwardingListed = PortForwardingRow & { networkName: string; vmName: string };

const toRow = (r: PortForwardingRulesTable): PortForwardingRow => ({
  id: r.id,
  vpcId: r.vpc_id,
  networkId: r.network_id,
  nicId: r.nic_id,
  zoneId: r.zone_id,
  publicIpId: r.public_ip_id,
  publicIp: r.public_ip,
  privateIp: r.private_ip,
  protocol: r.protocol as 'tcp' | 'udp',
  publicPortStart: Number(r.public_port_start),
  publicPortEnd: Number(r.public_port_end),
  privatePortStart: Number(r.private_port_start),
  privatePortEnd: Number(r.private_port_end),
  state: r.state as RuleState,
  lastOp: r.last_op as RuleOp,
  lastError: r.last_error,
  conditions: r.conditions,
  jobId: r.job_id,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export async function insertPortForwarding(
  db: Db,
  r: Omit<PortForwardingRow, 'version' | 'updatedAt' | 'lastError' | 'conditions'>,
): Promise<void> {
  await db
    .insertInto('port_forwarding_rules')
    .values({
      id: r.id,
      vpc_id: r.vpcId,
      network_id: r.networkId,
      nic_id: r.nicId,
      zone_id: r.zoneId,
      public_ip_id: r.publicIpId,
      public_ip: r.publicIp,
      private_ip: r.privateIp,
      protocol: r.protocol,
      public_port_start: r.publicPortStart,
      public_port_end: r.publicPortEnd,
      private_port_start: r.privatePortStart,
      private_port_end: r.privatePortEnd,
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

export async function getPortForwarding(db: Db, id: string): Promise<PortForwardingRow | undefined> {
  const r = await db.selectFrom('port_forwarding_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRow(r) : undefined;
}

/** The rules on one acquired address (by its id). */
export async function listOnPublicIp(db: Db, publicIpId: string): Promise<PortForwardingRow[]> {
  const rows = await db
    .selectFrom('port_forwarding_rules')
    .selectAll()
    .where('public_ip_id', '=', publicIpId)
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map(toRow);
}

/** The rules of the zone on this address string (what static NAT and LB rules, still holding a string, compare). */
export async function listOnAddress(db: Db, zoneId: string, publicIp: string): Promise<PortForwardingRow[]> {
  const rows = await db
    .selectFrom('port_forwarding_rules')
    .selectAll()
    .where('zone_id', '=', zoneId)
    .where('public_ip', '=', publicIp)
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map(toRow);
}

export async function listOfNetwork(db: Db, networkId: string): Promise<PortForwardingRow[]> {
  const rows = await db
    .selectFrom('port_forwarding_rules')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map(toRow);
}

export async function listOfNics(db: Db, nicIds: readonly string[]): Promise<PortForwardingRow[]> {
  const out: PortForwardingRow[] = [];
  for (let i = 0; i < nicIds.length; i += 500) {
    const rows = await db
      .selectFrom('port_forwarding_rules')
      .selectAll()
      .where('nic_id', 'in', nicIds.slice(i, i + 500))
      .orderBy('created_at', 'asc')
      .execute();
    out.push(...rows.map(toRow));
  }
  return out;
}

const SORT: SortSpec<'createdAt'> = {
  columns: { createdAt: { column: 'r.created_at', type: 'number' } },
  id: { column: 'r.id', type: 'string' },
  defaultSort: 'createdAt',
  defaultDir: 'asc',
};

/** One keyset page of a VPC's rules, oldest first, with the tier and VM names. */
export function pageOfVpc(
  db: Db,
  q: PageRequest<'createdAt'> & { vpcId: string },
): Promise<Page<PortForwardingListed>> {
  const query = db
    .selectFrom('port_forwarding_rules as r')
    .innerJoin('networks as n', 'n.id', 'r.network_id')
    .leftJoin('nics as c', 'c.id', 'r.nic_id')
    .where('r.vpc_id', '=', q.vpcId);
  return keysetPage(
    query,
    SORT,
    q,
    (s) => s.selectAll('r').select(['n.name as network_name', 'c.vm_name as vm_name']),
    (row) => {
      const r = row as unknown as PortForwardingRulesTable & { network_name: string; vm_name: string | null };
      return { ...toRow(r), networkName: r.network_name, vmName: r.vm_name ?? '' };
    },
  );
}

/** The rule's state write (rule-state.ts): false when no row matched (the update's `from`, or the row is gone). */
export const setPortForwardingState = ruleStateSetter('portForward');

export async function deletePortForwarding(db: Db, id: string): Promise<void> {
  await db.deleteFrom('port_forwarding_rules').where('id', '=', id).execute();
}

/** A rule's row read, state write and delete, as the engine's rule jobs use them (see static-nat.ts). */
export const ruleRows = {
  get: getPortForwarding,
  setState: setPortForwardingState,
  remove: deletePortForwarding,
};
