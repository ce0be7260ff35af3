// Segment (VLAN / VNI) allocation at tier creation (lifecycle/segments.ts) on both dialects: hundreds of concurrent
// createTier calls (what tiers.create calls) through two engines (on MariaDB with separate connection pools) all
// succeed with distinct ids while the pool has room, and a full pool is a typed PRECONDITION_FAILED, never CONFLICT.
import { randomUUID } from 'node:crypto';
import { connect, type DbHandle } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { AppError } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/index';
import { FAST, makeWorld, type World } from './world';

/** The i-th /24 inside 10.0.0.0/8, so that no two tiers of one VPC overlap. */
const cidrOf = (i: number) => `10.${1 + Math.floor(i / 256)}.${i % 256}.0/24`;

describe.each(testDialects())('segment allocation on %s', (dialect) => {
  let w: World;
  let second: DbHandle;
  let a: Engine;
  let b: Engine;

  beforeAll(async () => {
    w = await makeWorld(dialect);
    // MariaDB: a second node's own pool, as in production. SQLite: one connection per process (see allocate.test.ts).
    second = dialect === 'mysql' ? connect(w.db.url) : w.db;
    a = new Engine(w.deps, { ...FAST, nodeId: `seg-a-${randomUUID().slice(0, 4)}` });
    b = new Engine({ ...w.deps, db: second }, { ...FAST, nodeId: `seg-b-${randomUUID().slice(0, 4)}` });
  });
  afterAll(async () => {
    if (second !== w.db) await second?.close();
    await w.cleanup();
  });

  async function newVpc(name: string) {
    return a.createVpc({ name, zoneId: w.zoneId, offeringId: w.vpcOfferingId, cidr: '10.0.0.0/8' }, 'tester');
  }

  /** n concurrent tier creations, alternating between the two engines; settled, so every outcome is seen. */
  async function createConcurrently(
    n: number,
    input: { vpcId: string; offeringId: string; physicalNetworkId?: string },
  ) {
    return Promise.allSettled(
      Array.from({ length: n }, (_, i) =>
        (i % 2 === 0 ? a : b).createTier({ ...input, name: `t${i}`, cidr: cidrOf(i) }, 'tester'),
      ),
    );
  }

  it('gives 200 concurrent tier creations 200 distinct VNIs, none refused', async () => {
    const vpc = await newVpc('vpc-vni');
    const offeringId = await w.addOffering({
      kind: 'network',
      services: { Connectivity: 'simulator', Dhcp: 'simulator' },
      isolation: 'VXLAN',
    });
    const results = await createConcurrently(200, { vpcId: vpc.id, offeringId });
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(refused).toEqual([]);
    const tiers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const ids = tiers.map((t) => t.segmentId);
    expect(new Set(ids).size).toBe(200);
    for (const t of tiers) {
      expect(t.segmentKind).toBe('vni');
      expect(t.segmentId).toBeGreaterThanOrEqual(5000); // pn-1's VNI range is 5000-5999
      expect(t.segmentId).toBeLessThanOrEqual(5999);
    }
    const rows = await w.db.db
      .selectFrom('networks')
      .select(['segment_id'])
      .where('vpc_id', '=', vpc.id)
      .execute();
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => Number(r.segment_id))).size).toBe(200);
  });

  it('fills a small VLAN pool exactly under concurrency and refuses the rest with PRECONDITION_FAILED', async () => {
    const vpc = await newVpc('vpc-small');
    const physicalNetworkId = await w.addPhysicalNetwork({ name: 'pn-small', vlan: { start: 10, end: 29 } });
    const input = { vpcId: vpc.id, offeringId: w.networkOfferingId, physicalNetworkId };
    const results = await createConcurrently(30, input);
    const granted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.segmentId] : []));
    expect([...granted].sort((x, y) => Number(x) - Number(y))).toEqual(
      Array.from({ length: 20 }, (_, i) => 10 + i),
    );
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused).toHaveLength(10);
    for (const e of refused) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('PRECONDITION_FAILED');
      expect((e as AppError).message).toBe('No free VLAN left on pn-small');
    }
    // A later request on the full pool is refused the same way, and writes no tier.
    const late = await a
      .createTier({ ...input, name: 'late', cidr: cidrOf(99) }, 'tester')
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(AppError);
    expect((late as AppError).code).toBe('PRECONDITION_FAILED');
    const rows = await w.db.db.selectFrom('networks').select('id').where('vpc_id', '=', vpc.id).execute();
    expect(rows).toHaveLength(20);
  });
});
