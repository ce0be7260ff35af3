// The support bundle of a VPC: everything support needs to explain its state, as one JSON value, secrets redacted.
import { connectivityRepo, type Db, supportRowsRepo } from '@netplane/db';
import { redactDeep } from '@netplane/domain';
import { matrixOf, traceRecordOf } from '../connectivity/records';

/** The VPC's newest connectivity checks and reachability matrices a bundle carries. */
export const BUNDLE_TRACES = 50;
export const BUNDLE_MATRICES = 6;

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
  portForwardingRules: unknown[];
  /** The VPC's ACL lists (its own and the built-ins its tiers use), their rules, and the list of every tier. */
  aclLists: unknown[];
  aclRules: unknown[];
  aclAssignments: unknown[];
  transitions: unknown[];
  jobs: unknown[];
  jobSteps: unknown[];
  elementCalls: unknown[];
  negotiationTraces: unknown[];
  diagnoses: unknown[];
  audit: unknown[];
  /** The newest connectivity checks of the VPC (BUNDLE_TRACES) and reachability matrices (BUNDLE_MATRICES). */
  connectivityTraces: unknown[];
  connectivityMatrices: unknown[];
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
  'cidrs',
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
  const rows = await supportRowsRepo.loadVpcRows(db, vpcId);
  if (!rows) return undefined;
  const known: string[] = [];
  if (opts.decrypt) {
    for (const id of rows.controllerIds) {
      const ciphertext = await supportRowsRepo.controllerCiphertext(db, id);
      if (ciphertext === undefined) continue;
      try {
        collectStrings(JSON.parse(opts.decrypt(ciphertext, id)), known);
      } catch {
        // An unreadable credential cannot leak either; the bundle is still worth having.
      }
    }
  }
  const [traces, matrices] = await Promise.all([
    connectivityRepo.pageTracesOfVpc(db, { vpcId, limit: BUNDLE_TRACES }),
    connectivityRepo.pageMatricesOfVpc(db, { vpcId, limit: BUNDLE_MATRICES }),
  ]);
  const clean = (rows: readonly object[]) =>
    rows.map((r) => redactDeep(expand(r as Record<string, unknown>), known));
  return {
    format: BUNDLE_FORMAT,
    generatedAt: opts.now,
    vpcId,
    vpc: clean([rows.vpc])[0],
    triage: rows.triage ? clean([rows.triage])[0] : null,
    networks: clean(rows.networks),
    networkElements: clean(rows.networkElements),
    controllers: clean(rows.controllers),
    nics: clean(rows.nics),
    staticNatRules: clean(rows.staticNatRules),
    lbRules: clean(rows.lbRules),
    lbMembers: clean(rows.lbMembers),
    portForwardingRules: clean(rows.portForwardingRules),
    aclLists: clean(rows.aclLists),
    aclRules: clean(rows.aclRules),
    aclAssignments: clean(rows.aclAssignments),
    transitions: clean(rows.transitions),
    jobs: clean(rows.jobs),
    jobSteps: clean(rows.jobSteps),
    elementCalls: clean(rows.elementCalls),
    negotiationTraces: clean(rows.negotiationTraces),
    diagnoses: clean(rows.diagnoses),
    audit: clean(rows.audit),
    connectivityTraces: clean(traces.items.map(traceRecordOf)),
    connectivityMatrices: clean(matrices.items.map(matrixOf)),
  };
}
