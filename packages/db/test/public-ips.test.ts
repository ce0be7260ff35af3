// Public IP ranges and acquired addresses on both dialects: concurrent acquires never share an address, a VPC gets
// one source-NAT address however many acquire it at once, a full zone says so, and a used range cannot be deleted.
import { randomUUID } from 'node:crypto';
import { ipv4ToInt } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, publicIpsRepo, vpcsRepo } from '../src/index';
import { createTestDatabase, seedSimulatorInventory, type TestDatabase, testDialects } from '../src/testing';

async function addVpc(db: Db, zoneId: string, offeringId: string): Promise<string> {
  const id = randomUUID();
  await vpcsRepo.insertVpc(db, {
    id,
    name: `v-${id.slice(0, 6)}`,
    zoneId,
    offeringId,
    cidr: '10.0.0.0/16',
    state: 'Allocated',
    conditions: '[]',
    createdBy: 't',
    createdAt: Date.now(),
  });
  return id;
}

async function addRange(db: Db, zoneId: string, pnId: string, cidr: string, start: string, end: string) {
  const id = randomUUID();
  const gateway = cidr.replace(/\.0\/\d+$/, '.1');
  await publicIpsRepo.insertRange(
    db,
    {
      id,
      zoneId,
      physicalNetworkId: pnId,
      cidr,
      gateway,
      vlan: null,
      startIp: start,
      endIp: end,
      startNum: ipv4ToInt(start) ?? 0,
      endNum: ipv4ToInt(end) ?? 0,
      gatewayNum: ipv4ToInt(gateway) ?? 0,
    },
    Date.now(),
  );
  return id;
}

describe.each(testDialects())('public IP repository on %s', (dialect) => {
  let t: TestDatabase;
  let zoneId = '';
  let pnId = '';
  let offeringId = '';
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const seed = await seedSimulatorInventory(t.db, {
      label: 'pip',
      vlanRange: { start: 100, end: 199 },
      credentials: () => ({ ciphertext: 'x', keyId: 'k' }),
      limits: { maxConcurrent: 4, callsPerSecond: 100, timeoutMs: 1000 },
    });
    zoneId = seed.zoneId;
    offeringId = seed.vpcOfferingId;
    pnId = (await t.db.selectFrom('physical_networks').select('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => t?.drop());

  it('hands 40 concurrent acquires 40 distinct addresses of two ranges, then says the zone is exhausted', async () => {
    // 203.0.113.1 is the gateway inside the first span: 19 usable there, 21 in the second = 40 in all.
    const a = await addRange(t.db, zoneId, pnId, '203.0.113.0/24', '203.0.113.1', '203.0.113.20');
    const b = await addRange(t.db, zoneId, pnId, '198.51.100.0/24', '198.51.100.100', '198.51.100.120');
    const vpcs = await Promise.all(Array.from({ length: 4 }, () => addVpc(t.db, zoneId, offeringId)));
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        publicIpsRepo.acquirePublicIp(t.db, {
          zoneId,
          vpcId: vpcs[i % 4] ?? '',
          purpose: 'User',
          acquiredBy: 't',
          now: Date.now(),
        }),
      ),
    );
    const addresses = results.map((r) => (r.ok ? r.ip.address : `failed:${r.reason}`));
    expect(addresses.filter((x) => x.startsWith('failed'))).toEqual([]);
    expect(new Set(addresses).size).toBe(40);
    expect(addresses).not.toContain('203.0.113.1');
    const usage = await publicIpsRepo.listRangesWithUsage(t.db, zoneId);
    expect(usage.map((r) => [r.id, r.size, r.used])).toEqual([
      [b, 21, 21],
      [a, 19, 19],
    ]);
    const full = await publicIpsRepo.acquirePublicIp(t.db, {
      zoneId,
      vpcId: vpcs[0] ?? '',
      purpose: 'User',
      acquiredBy: 't',
      now: Date.now(),
    });
    expect(full).toMatchObject({ ok: false, reason: 'EXHAUSTED' });
    if (!full.ok) expect(full.ranges.map((r) => r.used)).toEqual([21, 19]);

    // A range with an acquired address cannot go, even bypassing the API's count (foreign key).
    const err = await publicIpsRepo.deleteRange(t.db, a).catch((e: unknown) => e);
    expect(publicIpsRepo.isReferencedRowViolation(err)).toBe(true);

    // Releasing frees the address for the next acquire.
    const first = results[0];
    if (!first?.ok) throw new Error('unreachable');
    expect(await publicIpsRepo.deletePublicIp(t.db, first.ip.id)).toBe(true);
    const again = await publicIpsRepo.acquirePublicIp(t.db, {
      zoneId,
      vpcId: vpcs[1] ?? '',
      purpose: 'User',
      acquiredBy: 't',
      now: Date.now(),
    });
    expect(again.ok && again.ip.address).toBe(first.ip.address);
  });

  it('gives a VPC one source-NAT address however many acquire it at once', async () => {
    await addRange(t.db, zoneId, pnId, '192.0.2.0/28', '192.0.2.2', '192.0.2.14');
    const vpcId = await addVpc(t.db, zoneId, offeringId);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        publicIpsRepo.acquirePublicIp(t.db, {
          zoneId,
          vpcId,
          purpose: 'SourceNat',
          acquiredBy: 't',
          now: Date.now(),
        }),
      ),
    );
    const addresses = new Set(results.map((r) => (r.ok ? r.ip.address : r.reason)));
    expect(addresses.size).toBe(1);
    expect((await publicIpsRepo.listPublicIpsOfVpc(t.db, vpcId)).length).toBe(1);
    expect((await publicIpsRepo.sourceNatOf(t.db, vpcId))?.address).toBe([...addresses][0]);
  });

  it('pages the acquired addresses in the house shape', async () => {
    const p1 = await publicIpsRepo.listPublicIps(t.db, { limit: 10, zoneId, sort: 'address', dir: 'asc' });
    expect(p1.total).toBe(41);
    expect(p1.items).toHaveLength(10);
    expect(p1.nextCursor).not.toBeNull();
    const seen = [...p1.items];
    let cursor = p1.nextCursor;
    while (cursor) {
      const p = await publicIpsRepo.listPublicIps(t.db, {
        limit: 10,
        zoneId,
        sort: 'address',
        dir: 'asc',
        cursor,
      });
      seen.push(...p.items);
      cursor = p.nextCursor;
    }
    expect(seen.map((s) => s.addressNum)).toEqual([...seen.map((s) => s.addressNum)].sort((x, y) => x - y));
    expect(new Set(seen.map((s) => s.id)).size).toBe(41);
    expect(seen[0]).toMatchObject({ gateway: '192.0.2.1', vlan: null });
  });

  it('says NO_RANGE for a zone without ranges', async () => {
    const r = await publicIpsRepo.acquirePublicIp(t.db, {
      zoneId: randomUUID(),
      vpcId: randomUUID(),
      purpose: 'User',
      acquiredBy: 't',
      now: Date.now(),
    });
    expect(r).toEqual({ ok: false, reason: 'NO_RANGE', ranges: [] });
  });
});
