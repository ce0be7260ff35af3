// The raw rows of one VPC for the support bundle (packages/engine/src/support/bundle.ts): every table support reads,
// as stored (JSON text, BIGINTs), in a stable order. The controllers' credential ciphertext is read only on request.
import { DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import type { Selectable } from 'kysely';
import type { Db } from '../connect';
import type { Database } from '../schema';

type Row = Record<string, unknown>;

export type VpcRows = {
  vpc: Row;
  triage: Row | undefined;
  networks: Row[];
  networkElements: Row[];
  controllers: Row[];
  nics: Row[];
  staticNatRules: Row[];
  lbRules: Row[];
  lbMembers: Row[];
  portForwardingRules: Row[];
  /** The VPC's own ACL lists and the built-ins its tiers use, their rules, and the list of every tier. */
  aclLists: Row[];
  aclRules: Row[];
  aclAssignments: Row[];
  transitions: Row[];
  jobs: Row[];
  jobSteps: Row[];
  elementCalls: Row[];
  negotiationTraces: Row[];
  diagnoses: Row[];
  audit: Row[];
  /** The controllers of the VPC's elements, whose credentials the bundle scrubs. */
  controllerIds: string[];
};

const CHUNK = 500;
async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

type VpcTable =
  | 'networks'
  | 'nics'
  | 'static_nat_rules'
  | 'lb_rules'
  | 'port_forwarding_rules'
  | 'jobs'
  | 'diagnoses';
const rowsOfVpc = <T extends VpcTable>(db: Db, table: T, vpcId: string) =>
  db
    .selectFrom(table as VpcTable)
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at')
    .execute() as Promise<Selectable<Database[T]>[]>;

type InTable = 'network_elements' | 'lb_members' | 'state_transitions' | 'audit_log';
/** Every row of `table` whose `column` is one of `ids`, read in chunks (IN lists stay short). */
const rowsIn = (db: Db, table: InTable, column: string, ids: readonly string[]) =>
  inChunks(ids, (part) =>
    db
      .selectFrom(table)
      .selectAll()
      // biome-ignore lint/suspicious/noExplicitAny: the column is one of `table`'s, named by the caller below.
      .where(column as any, 'in', part)
      .execute(),
  ) as Promise<Row[]>;

// Explicit columns: the credential ciphertext is never read into the bundle at all.
const CONTROLLER_COLUMNS = [
  'id',
  'provider_id',
  'name',
  'endpoint',
  'protocol',
  'config',
  'max_concurrent',
  'calls_per_second',
  'timeout_ms',
  'resource_state',
  'health_ok',
  'health_checked_at',
  'health_latency_ms',
  'health_version',
  'health_error',
  'conditions',
  'updated_at',
] as const;

/**
 * The ACL side of the VPC: its own lists, the built-ins its tiers use, their rules, and one assignment per tier (a
 * tier without an assignment row uses default_deny: `explicit` 0 says so). Lists and rules hold no secret.
 */
async function aclRowsOf(db: Db, vpcId: string, networks: readonly { id: string; name: string }[]) {
  const stored = await inChunks(
    networks.map((n) => n.id),
    (ids) => db.selectFrom('network_acl_assignments').selectAll().where('network_id', 'in', ids).execute(),
  );
  const listOf = new Map(stored.map((a) => [a.network_id, a]));
  const aclAssignments: Row[] = networks.map((n) => {
    const a = listOf.get(n.id);
    return {
      network_id: n.id,
      network_name: n.name,
      list_id: a?.list_id ?? DEFAULT_DENY_ACL_ID,
      explicit: a ? 1 : 0,
      updated_at: a?.updated_at ?? null,
    };
  });
  const used = [...new Set(aclAssignments.map((a) => String(a.list_id)))];
  const aclLists = await db
    .selectFrom('network_acl_lists')
    .selectAll()
    .where((eb) => eb.or([eb('vpc_id', '=', vpcId), ...(used.length > 0 ? [eb('id', 'in', used)] : [])]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const aclRules = await inChunks(
    aclLists.map((l) => l.id),
    (ids) =>
      db
        .selectFrom('network_acl_rules')
        .selectAll()
        .where('list_id', 'in', ids)
        .orderBy('list_id')
        .orderBy('number')
        .execute(),
  );
  return { aclLists, aclRules, aclAssignments };
}

/** Every row support needs about the VPC; undefined when the VPC does not exist. */
export async function loadVpcRows(db: Db, vpcId: string): Promise<VpcRows | undefined> {
  const vpc = await db.selectFrom('vpcs').selectAll().where('id', '=', vpcId).executeTakeFirst();
  if (!vpc) return undefined;
  const networks = await rowsOfVpc(db, 'networks', vpcId);
  const networkIds = networks.map((n) => n.id);
  const networkElements = await rowsIn(db, 'network_elements', 'network_id', networkIds);
  const nics = await rowsOfVpc(db, 'nics', vpcId);
  const staticNatRules = await rowsOfVpc(db, 'static_nat_rules', vpcId);
  const lbRules = await rowsOfVpc(db, 'lb_rules', vpcId);
  const lbMembers = await rowsIn(
    db,
    'lb_members',
    'rule_id',
    lbRules.map((r) => r.id),
  );
  const portForwardingRules = await rowsOfVpc(db, 'port_forwarding_rules', vpcId);
  const acl = await aclRowsOf(db, vpcId, networks);
  const jobs = await rowsOfVpc(db, 'jobs', vpcId);
  const jobIds = jobs.map((j) => j.id);
  const controllerIds = [...new Set(networkElements.map((e) => String(e.controller_id)))];
  const controllers = await inChunks(controllerIds, (ids) =>
    db.selectFrom('controllers').select(CONTROLLER_COLUMNS).where('id', 'in', ids).execute(),
  );
  const entityIds = [vpcId, ...networkIds, ...nics.map((n) => n.id)];
  const transitions = await rowsIn(db, 'state_transitions', 'entity_id', entityIds);
  transitions.sort((a, b) => Number(a.at) - Number(b.at) || Number(a.id) - Number(b.id));
  const jobSteps = await inChunks(jobIds, (ids) =>
    db.selectFrom('job_steps').selectAll().where('job_id', 'in', ids).orderBy('seq').execute(),
  );
  const elementCalls = await db
    .selectFrom('element_calls')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('started_at')
    .execute();
  const negotiationTraces = await inChunks(networkIds, (ids) =>
    db
      .selectFrom('negotiation_traces')
      .selectAll()
      .where('network_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
  );
  const diagnoses = await rowsOfVpc(db, 'diagnoses', vpcId);
  const triage = await db.selectFrom('triage').selectAll().where('vpc_id', '=', vpcId).executeTakeFirst();
  const ruleIds = [...staticNatRules, ...lbRules, ...portForwardingRules].map((r) => r.id);
  const audit = await rowsIn(db, 'audit_log', 'target_id', [...entityIds, ...ruleIds, ...jobIds]);
  audit.sort((a, b) => Number(a.id) - Number(b.id));
  return {
    vpc,
    triage,
    networks,
    networkElements,
    controllers,
    nics,
    staticNatRules,
    lbRules,
    lbMembers,
    portForwardingRules,
    ...acl,
    transitions,
    jobs,
    jobSteps,
    elementCalls,
    negotiationTraces,
    diagnoses,
    audit,
    controllerIds,
  };
}

/** The sealed credentials of one controller (to scrub their values from a bundle), or undefined. */
export async function controllerCiphertext(db: Db, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('controllers')
    .select(['credentials_ciphertext'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.credentials_ciphertext;
}
