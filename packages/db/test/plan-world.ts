// The query-plan test's world (query-plans.test.ts): 2,000 VPCs of one tier and 10 NICs each, 1 % not Synced, a few
// in Error, and one more tier of 2,000 NICs (where a sorted page costs most), written in multi-row inserts through the repositories' own derivation of the condition columns, then
// analysed, so that both planners choose from statistics as on a long-running database.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { vpcsRepo } from '../src/index';
import { seedSimulatorInventory, type TestDatabase } from '../src/testing';

const VPCS = 2000;
const NICS_PER_VPC = 10;
const BIG_TIER_NICS = 2000;
const t0 = 1_700_000_000_000;

const conditionsOf = (i: number) =>
  JSON.stringify([
    {
      type: 'Ready',
      status: i % 150 === 7 ? 'False' : 'True',
      reason: 'X',
      message: '',
      lastTransitionTime: t0,
    },
    {
      type: 'Synced',
      status: i % 100 === 3 ? 'False' : 'True',
      reason: 'X',
      message: '',
      lastTransitionTime: t0,
    },
  ]);

async function insertChunked(t: TestDatabase, table: 'vpcs' | 'networks' | 'nics', rows: object[]) {
  for (let i = 0; i < rows.length; i += 500)
    await t.db
      .insertInto(table)
      .values(rows.slice(i, i + 500) as never)
      .execute();
}

export async function seedPlanWorld(
  t: TestDatabase,
): Promise<{ tierId: string; bigTierId: string; vpcId: string }> {
  const seed = await seedSimulatorInventory(t.db, {
    label: 'plans',
    vlanRange: { start: 100, end: 199 },
    credentials: () => ({ ciphertext: 'x', keyId: 'k' }),
    limits: { maxConcurrent: 4, callsPerSecond: 100, timeoutMs: 1000 },
  });
  const pnId = (await t.db.selectFrom('physical_networks').select('id').executeTakeFirstOrThrow()).id;
  const vpcs: object[] = [];
  const tiers: object[] = [];
  const nics: object[] = [];
  const ids = { tierId: '', bigTierId: '', vpcId: '' };
  for (let i = 0; i < VPCS; i++) {
    const vpcId = randomUUID();
    const tierId = randomUUID();
    const at = t0 + i * 1000;
    const conditions = conditionsOf(i);
    vpcs.push({
      id: vpcId,
      name: `bench-vpc-${i}`,
      zone_id: seed.zoneId,
      offering_id: seed.vpcOfferingId,
      cidr: '10.0.0.0/16',
      state: i % 250 === 5 ? 'Error' : 'Implemented',
      conditions,
      ...vpcsRepo.vpcConditionColumns(conditions),
      created_by: 't',
      created_at: at,
      updated_at: at,
      version: 1,
    });
    tiers.push({
      id: tierId,
      vpc_id: vpcId,
      zone_id: seed.zoneId,
      name: 'tier1',
      offering_id: seed.networkOfferingId,
      physical_network_id: pnId,
      cidr: '10.0.1.0/24',
      gateway: '10.0.1.1',
      isolation_method: 'VXLAN',
      segment_kind: 'vni',
      segment_id: 5000 + i,
      broadcast_uri: `vxlan://${5000 + i}`,
      state: 'Implemented',
      conditions: '[]',
      created_at: at,
      updated_at: at,
      version: 1,
    });
    // The last VPC's tier is the big one.
    const nicsOfTier = i === VPCS - 1 ? BIG_TIER_NICS : NICS_PER_VPC;
    if (i === VPCS - 1) ids.bigTierId = tierId;
    for (let k = 0; k < nicsOfTier; k++) {
      const j = i * NICS_PER_VPC + k;
      nics.push({
        id: randomUUID(),
        network_id: tierId,
        vpc_id: vpcId,
        vm_name: `vm-${j}`,
        mac: `02:00:${[j >> 16, j >> 8, j, 0].map((b) => (b & 255).toString(16).padStart(2, '0')).join(':')}`,
        ip: `10.0.${1 + (k >> 8)}.${k & 255}`,
        ip_index: k + 10,
        state: 'Reserved',
        conditions: '[]',
        adopted: 0,
        created_at: at + k,
        updated_at: at + k,
        version: 1,
      });
    }
    if (i === VPCS / 2) Object.assign(ids, { tierId, vpcId });
  }
  await insertChunked(t, 'vpcs', vpcs);
  await insertChunked(t, 'networks', tiers);
  await insertChunked(t, 'nics', nics);
  if (t.dialect === 'sqlite') await sql`analyze`.execute(t.db);
  else
    for (const table of ['vpcs', 'networks', 'nics'])
      await sql`analyze table ${sql.table(table)}`.execute(t.db);
  return ids;
}
