// The support bundle of a VPC: everything support needs to explain its state, as one JSON value, secrets redacted.
import type { Db } from '@netplane/db';
import { redactDeep } from '@netplane/domain';

export const BUNDLE_FORMAT = 'netplane-support-bundle/1';

export type SupportBundle = {
  format: typeof BUNDLE_FORMAT;
  generatedAt: number;
  vpcId: string;
  vpc: unknown;
  triage: unknown;
  networks: unknown[];
  networkElements: unknown[];
  controllers: unknown[];
  nics: unknown[];
  /** Static NAT and LB rules of the VPC with the LB members (no secret lives there). */
  staticNatRules: unknown[];
  lbRules: unknown[];
  lbMembers: unknown[];
  transitions: unknown[];
  jobs: unknown[];
  jobSteps: unknown[];
  elementCalls: unknown[];
  negotiationTraces: unknown[];
  diagnoses: unknown[];
  audit: unknown[];
};

export type BundleOptions = {
  now: number;
  /** When given, the credentials of the VPC's controllers are decrypted only to scrub their values from every string. */
  decrypt?: (ciphertext: string, rowId: string) => string;
};

const JSON_COLUMNS = new Set([
  'conditions',
  'payload',
  'result',
  'error',
  'request_summary',
  'response_summary',
  'trace',
  'missing',
  'evidence',
  'actions',
  'config',
  'before',
  'after',
]);

/** Turns JSON text columns into values, so that redaction sees their keys, and BIGINTs into numbers. */
function expand(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => {
      if (typeof v === 'string' && JSON_COLUMNS.has(k)) {
        try {
          return [k, JSON.parse(v)];
        } catch {
          return [k, v];
        }
      }
      return [k, typeof v === 'bigint' ? Number(v) : v];
    }),
  );
}

const CHUNK = 500;
async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, into);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) collectStrings(v, into);
}

export async function buildSupportBundle(
  db: Db,
  vpcId: string,
  opts: BundleOptions,
): Promise<SupportBundle | undefined> {
  const vpc = await db.selectFrom('vpcs').selectAll().where('id', '=', vpcId).executeTakeFirst();
  if (!vpc) return undefined;
  const networks = await db
    .selectFrom('networks')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at')
    .execute();
  const networkIds = networks.map((n) => n.id);
  const elements = await inChunks(networkIds, (ids) =>
    db.selectFrom('network_elements').selectAll().where('network_id', 'in', ids).execute(),
  );
  const nics = await db
    .selectFrom('nics')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at')
    .execute();
  const staticNatRules = await db
    .selectFrom('static_nat_rules')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at')
    .execute();
  const lbRules = await db
    .selectFrom('lb_rules')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at')
    .execute();
  const lbMembers = await inChunks(
    lbRules.map((r) => r.id),
    (ids) => db.selectFrom('lb_members').selectAll().where('rule_id', 'in', ids).execute(),
  );
  const jobs = await db
    .selectFrom('jobs')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at')
    .execute();
  const jobIds = jobs.map((j) => j.id);
  const controllerIds = [...new Set(elements.map((e) => e.controller_id))];
  // Explicit columns: the credential ciphertext is never read into the bundle at all.
  const controllers = await inChunks(controllerIds, (ids) =>
    db
      .selectFrom('controllers')
      .select([
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
      ])
      .where('id', 'in', ids)
      .execute(),
  );
  const entityIds = [vpcId, ...networkIds, ...nics.map((n) => n.id)];
  const transitions = await inChunks(entityIds, (ids) =>
    db.selectFrom('state_transitions').selectAll().where('entity_id', 'in', ids).execute(),
  );
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
  const traces = await inChunks(networkIds, (ids) =>
    db
      .selectFrom('negotiation_traces')
      .selectAll()
      .where('network_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
  );
  const diagnoses = await db
    .selectFrom('diagnoses')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at')
    .execute();
  const triage = await db.selectFrom('triage').selectAll().where('vpc_id', '=', vpcId).executeTakeFirst();
  const ruleIds = [...staticNatRules.map((r) => r.id), ...lbRules.map((r) => r.id)];
  const audit = await inChunks([...entityIds, ...ruleIds, ...jobIds], (ids) =>
    db.selectFrom('audit_log').selectAll().where('target_id', 'in', ids).execute(),
  );
  audit.sort((a, b) => Number(a.id) - Number(b.id));

  const known: string[] = [];
  if (opts.decrypt) {
    for (const id of controllerIds) {
      const row = await db
        .selectFrom('controllers')
        .select(['credentials_ciphertext'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) continue;
      try {
        collectStrings(JSON.parse(opts.decrypt(row.credentials_ciphertext, id)), known);
      } catch {
        // An unreadable credential cannot leak either; the bundle is still worth having.
      }
    }
  }
  const clean = (rows: readonly object[]) =>
    rows.map((r) => redactDeep(expand(r as Record<string, unknown>), known));
  return {
    format: BUNDLE_FORMAT,
    generatedAt: opts.now,
    vpcId,
    vpc: clean([vpc])[0],
    triage: triage ? clean([triage])[0] : null,
    networks: clean(networks),
    networkElements: clean(elements),
    controllers: clean(controllers),
    nics: clean(nics),
    staticNatRules: clean(staticNatRules),
    lbRules: clean(lbRules),
    lbMembers: clean(lbMembers),
    transitions: clean(transitions),
    jobs: clean(jobs),
    jobSteps: clean(jobSteps),
    elementCalls: clean(elementCalls),
    negotiationTraces: clean(traces),
    diagnoses: clean(diagnoses),
    audit: clean(audit),
  };
}
