// Test-only: a failed VPC written straight into the tables (inventory, VPC, tier, NICs, job, calls, trace), so the
// diagnostics hook, stuck query and support bundle can be tested on real databases before and beside the engine.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Database, Db, DialectName } from '@netplane/db';
import { createTestDatabase, type TestDatabase } from '@netplane/db/testing';
import { envKeySource, Keyring } from '@netplane/secrets';

export const CANARY = `canary-${randomBytes(6).toString('hex')}`;
export const keyring = new Keyring(envKeySource(randomBytes(32).toString('base64')));

export type FailedVpc = {
  vpcId: string;
  networkId: string;
  nicIds: string[];
  jobId: string;
  controllerId: string;
  callIds: { first: string; second: string; rollback: string };
  traceId: string;
  ciphertext: string;
};

const j = (v: unknown) => JSON.stringify(v);

export async function insertFailedVpc(db: Db, t0: number): Promise<FailedVpc> {
  const ids = { zone: randomUUID(), pn: randomUUID(), provider: randomUUID(), controller: randomUUID() };
  const put = async <T extends keyof Database & string>(
    table: T,
    row: Parameters<ReturnType<typeof db.insertInto<T>>['values']>[0],
  ) => {
    await db.insertInto(table).values(row).execute();
  };
  const common = { created_at: t0, updated_at: t0, version: 1 };
  await put('zones', { id: ids.zone, name: `z-${ids.zone}`, description: '', state: 'Enabled', ...common });
  await put('physical_networks', {
    id: ids.pn,
    zone_id: ids.zone,
    name: 'pn-1',
    isolation_methods: j(['VLAN']),
    tags: j(['gold']),
    broadcast_ranges: j([{ kind: 'vlan', start: 100, end: 200 }]),
    traffic_types: j([]),
    state: 'Enabled',
    ...common,
  });
  await put('providers', {
    id: ids.provider,
    physical_network_id: ids.pn,
    name: 'SimNet',
    adapter_id: 'simulator',
    state: 'Enabled',
    enabled_services: j(['Connectivity']),
    capability_overrides: j({}),
    ...common,
  });
  const sealed = keyring.encrypt(j({ username: 'admin', password: CANARY }), ids.controller);
  await put('controllers', {
    id: ids.controller,
    provider_id: ids.provider,
    name: 'sim-ctl',
    endpoint: `https://admin:${CANARY}@sim.example:8443/`,
    protocol: 'SIMULATED',
    config: j({ region: 'a', apiToken: CANARY }),
    credentials_ciphertext: sealed.ciphertext,
    credentials_key_id: sealed.keyId,
    max_concurrent: 16,
    calls_per_second: 200,
    timeout_ms: 5000,
    resource_state: 'Enabled',
    health_ok: 1,
    health_checked_at: t0,
    health_latency_ms: 3,
    health_version: '1',
    health_error: null,
    conditions: j([]),
    ...common,
  });
  const offering = randomUUID();
  await put('offerings', {
    id: offering,
    name: `o-${offering}`,
    description: '',
    kind: 'network',
    guest_type: 'Isolated',
    service_providers: j({ Connectivity: 'simulator' }),
    tags: j(['gold']),
    isolation_method: 'VLAN',
    required_capabilities: j({}),
    state: 'Enabled',
    ...common,
  });
  const vpcId = randomUUID();
  await put('vpcs', {
    id: vpcId,
    name: 'shop',
    zone_id: ids.zone,
    offering_id: offering,
    cidr: '10.0.0.0/16',
    state: 'Implemented',
    conditions: j([]),
    created_by: 'alice',
    ...common,
  });
  const networkId = randomUUID();
  await put('networks', {
    id: networkId,
    vpc_id: vpcId,
    zone_id: ids.zone,
    name: 'web',
    offering_id: offering,
    physical_network_id: ids.pn,
    cidr: '10.0.1.0/24',
    gateway: '10.0.1.1',
    isolation_method: 'VLAN',
    segment_kind: 'vlan',
    segment_id: 120,
    broadcast_uri: 'vlan://120',
    state: 'Error',
    conditions: j([{ type: 'Ready', status: 'False', reason: 'ImplementFailed', message: 'x' }]),
    ...common,
  });
  await put('network_elements', {
    id: randomUUID(),
    network_id: networkId,
    service: 'Connectivity',
    provider_id: ids.provider,
    controller_id: ids.controller,
    adapter_id: 'simulator',
    created_at: t0,
  });
  const nicIds = [randomUUID(), randomUUID()];
  for (const [i, id] of nicIds.entries()) {
    await put('nics', {
      id,
      network_id: networkId,
      vpc_id: vpcId,
      vm_name: `vm-${i}`,
      mac: `02:00:00:00:${randomBytes(1).toString('hex')}:${randomBytes(1).toString('hex')}`,
      ip: `10.0.1.${10 + i}`,
      ip_index: 10 + i,
      state: 'Error',
      conditions: j([]),
      adopted: 0,
      ...common,
    });
  }
  const jobId = randomUUID();
  await put('jobs', {
    id: jobId,
    kind: 'prepare-nics',
    target_type: 'network',
    target_id: networkId,
    vpc_id: vpcId,
    state: 'Failed',
    payload: j({ nicIds, password: CANARY }),
    result: null,
    progress_done: 0,
    progress_total: 2,
    lease_owner: null,
    lease_expires_at: null,
    fencing_token: 3,
    attempts: 1,
    deadline_at: t0 + 60_000,
    stuck: 0,
    cancel_requested: 0,
    created_by: 'alice',
    created_at: t0,
    started_at: t0,
    finished_at: t0 + 500,
    updated_at: t0 + 500,
    error: null,
  });
  const call = (id: string, at: number, over: Record<string, unknown>) => ({
    id,
    phase: 'prepare',
    adapter_id: 'simulator',
    provider_id: ids.provider,
    controller_id: ids.controller,
    job_id: jobId,
    step_key: `nic:${id}`,
    vpc_id: vpcId,
    network_id: networkId,
    target_type: 'nic',
    target_id: nicIds[0] as string,
    attempt: 1,
    purpose: 'forward',
    batch_size: 1,
    started_at: at,
    duration_ms: 20,
    outcome: 'error',
    error_category: 'CAPACITY_EXHAUSTED',
    error_message: 'no free port',
    vendor_code: 'E-CAP',
    vendor_message: 'port table full',
    retryable: 0,
    request_summary: j({ nicId: nicIds[0], auth: { password: CANARY } }),
    response_summary: j({ error: 'full' }),
    node_id: 'node-a',
    fencing_token: 3,
    ...over,
  });
  const callIds = { first: randomUUID(), second: randomUUID(), rollback: randomUUID() };
  await put('element_calls', [
    call(callIds.first, t0 + 10, {}),
    call(callIds.second, t0 + 20, { target_id: nicIds[1] }),
    call(callIds.rollback, t0 + 30, {
      phase: 'release',
      purpose: 'rollback',
      error_category: 'TIMEOUT',
      error_message: 'release timed out',
      vendor_code: null,
      vendor_message: null,
    }),
  ]);
  const traceId = randomUUID();
  await put('negotiation_traces', {
    id: traceId,
    network_id: networkId,
    job_id: null,
    ok: 1,
    trace: j([{ service: 'Connectivity', provider: 'SimNet', verdict: 'CHOSEN', reason: 'ok' }]),
    missing: j([]),
    created_at: t0,
  });
  for (const id of [networkId, ...nicIds]) {
    await put('state_transitions', {
      entity_type: id === networkId ? 'network' : 'nic',
      entity_id: id,
      from_state: 'Implementing',
      to_state: 'Error',
      at: t0 + 40,
      actor: 'engine',
      reason: 'call failed',
      job_id: jobId,
    });
  }
  await put('audit_log', {
    at: t0,
    actor_id: null,
    actor_name: 'alice',
    action: 'vpc.create',
    target_type: 'vpc',
    target_id: vpcId,
    before: null,
    after: j({ name: 'shop', secret: CANARY }),
  });
  return {
    vpcId,
    networkId,
    nicIds,
    jobId,
    controllerId: ids.controller,
    callIds,
    traceId,
    ciphertext: sealed.ciphertext,
  };
}

/** A fresh migrated database on the dialect holding one failed VPC (insertFailedVpc at t0). */
export async function failedVpcDatabase(
  dialect: DialectName,
  t0: number,
): Promise<{ t: TestDatabase; f: FailedVpc }> {
  const t = await createTestDatabase(dialect);
  return { t, f: await insertFailedVpc(t.db, t0) };
}
