// The keyset-page tests' shared world (pages-*.test.ts): a seeded inventory with 37 VPCs whose creation times tie in
// groups of 3, states, zones and Synced statuses mixed, and the helpers that walk a list page by page.
import { randomUUID } from 'node:crypto';
import { AppError } from '@netplane/domain';
import type { DialectName } from '../src/connect';
import { type Page, vpcsRepo } from '../src/index';
import { createTestDatabase, seedSimulatorInventory, type TestDatabase } from '../src/testing';

/** Every item of a list, page by page, with the totals each page reported. */
export async function walk<T>(
  page: (cursor?: string) => Promise<Page<T>>,
): Promise<{ items: T[]; totals: number[] }> {
  const items: T[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 1000; n++) {
    const p = await page(cursor);
    items.push(...p.items);
    totals.push(p.total);
    if (p.nextCursor === null) return { items, totals };
    cursor = p.nextCursor;
  }
  throw new Error('the list never ended');
}

export const desc =
  <T>(key: (x: T) => number | string, id: (x: T) => number | string) =>
  (a: T, b: T) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? 1 : -1;
    return id(a) < id(b) ? 1 : id(a) > id(b) ? -1 : 0;
  };
export const asc =
  <T>(key: (x: T) => number | string, id: (x: T) => number | string) =>
  (a: T, b: T) =>
    -desc(key, id)(a, b);

export const badInput = (e: unknown) => e instanceof AppError && e.code === 'BAD_INPUT';

export const t0 = 1_700_000_000_000;
const cond = (synced: string, ready = 'True') =>
  JSON.stringify([
    { type: 'Ready', status: ready, reason: 'Implemented', message: '', lastTransitionTime: t0 },
    { type: 'Synced', status: synced, reason: 'X', message: '', lastTransitionTime: t0 },
  ]);

export type PageWorld = {
  t: TestDatabase;
  zoneId: string;
  otherZoneId: string;
  offeringId: string;
  networkOfferingId: string;
  pnId: string;
  vpcs: vpcsRepo.VpcRow[];
};

export async function seedPageWorld(dialect: DialectName): Promise<PageWorld> {
  const vpcs: vpcsRepo.VpcRow[] = [];
  const t = await createTestDatabase(dialect);
  const seed = await seedSimulatorInventory(t.db, {
    label: 'pg',
    vlanRange: { start: 100, end: 199 },
    credentials: () => ({ ciphertext: 'x', keyId: 'k' }),
    limits: { maxConcurrent: 4, callsPerSecond: 100, timeoutMs: 1000 },
  });
  const zoneId = seed.zoneId;
  const offeringId = seed.vpcOfferingId;
  const networkOfferingId = seed.networkOfferingId;
  const pnId = (await t.db.selectFrom('physical_networks').select('id').executeTakeFirstOrThrow()).id;
  const otherZoneId = randomUUID();
  const zone = await t.db.selectFrom('zones').selectAll().where('id', '=', zoneId).executeTakeFirstOrThrow();
  await t.db
    .insertInto('zones')
    .values({ ...zone, id: otherZoneId, name: 'other-zone' })
    .execute();
  // 37 VPCs: created_at in groups of 3 (ties), states, zones and Synced statuses mixed.
  const states = ['Implemented', 'Allocated', 'Error', 'Destroy'];
  for (let i = 0; i < 37; i++) {
    const v: vpcsRepo.VpcRow = {
      id: randomUUID(),
      name: `vpc-${String(i % 11).padStart(2, '0')}`,
      zoneId: i % 3 === 0 ? otherZoneId : zoneId,
      offeringId,
      cidr: '10.0.0.0/16',
      state: states[i % 4] as string,
      // Some carry "Synced" and "False" in different conditions: only a per-element match may leave them out.
      conditions: i === 5 ? 'not json' : cond(i % 5 === 0 ? 'False' : 'True', i % 7 === 3 ? 'False' : 'True'),
      createdBy: 't',
      createdAt: t0 + Math.floor(i / 3) * 1000,
      updatedAt: t0 + Math.floor(i / 3) * 1000,
      version: 1,
    };
    vpcs.push(v);
    await vpcsRepo.insertVpc(t.db, v);
  }
  return { t, zoneId, otherZoneId, offeringId, networkOfferingId, pnId, vpcs };
}
