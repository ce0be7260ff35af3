// Keyset pages of VPCs on both dialects: stable order under ties, every filter combined with the cursor, the last row
// reachable, the total right, and a malformed or foreign cursor refused as BAD_INPUT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vpcsRepo } from '../src/index';
import { keysetPage, type SortSpec } from '../src/repositories/keyset';
import { type TestDatabase, testDialects } from '../src/testing';
import { asc, badInput, desc, seedPageWorld, t0, walk } from './page-world';

describe.each(testDialects())('keyset pages of VPCs on %s', (dialect) => {
  let t: TestDatabase;
  let zoneId = '';
  const vpcs: vpcsRepo.VpcRow[] = [];
  beforeAll(async () => {
    const w = await seedPageWorld(dialect);
    ({ t, zoneId } = w);
    vpcs.push(...w.vpcs);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const syncedOf = (v: vpcsRepo.VpcRow): string | undefined => {
    try {
      return (JSON.parse(v.conditions) as { type: string; status: string }[]).find((c) => c.type === 'Synced')
        ?.status;
    } catch {
      return undefined;
    }
  };
  const vpcFilters: (vpcsRepo.VpcFilter & { expect: (v: vpcsRepo.VpcRow) => boolean })[] = [
    { expect: (v) => v.state !== 'Destroy' },
    { includeDestroyed: true, expect: () => true },
    { state: 'Implemented', expect: (v) => v.state === 'Implemented' },
    { zoneId: 'Z', expect: (v) => v.state !== 'Destroy' && v.zoneId === 'Z' },
    {
      condition: { type: 'Synced', status: 'False' },
      includeDestroyed: true,
      expect: (v) => syncedOf(v) === 'False',
    },
    {
      condition: { type: 'Synced', status: 'True' },
      state: 'Error',
      zoneId: 'Z',
      expect: (v) => v.state === 'Error' && v.zoneId === 'Z' && syncedOf(v) === 'True',
    },
    { nameContains: 'PC-0', expect: (v) => v.state !== 'Destroy' && v.name.startsWith('vpc-0') },
  ];

  it.each(vpcFilters.map((f, i) => [i, f] as const))(
    'walks every VPC of filter #%i, newest first',
    async (_i, f) => {
      const { expect: want, ...raw } = f;
      const filter = { ...raw, ...(raw.zoneId ? { zoneId } : {}) };
      const wanted = vpcs
        .filter((v) => want({ ...v, zoneId: v.zoneId === zoneId ? 'Z' : v.zoneId }))
        .sort(
          desc(
            (v) => v.createdAt,
            (v) => v.id,
          ),
        );
      expect(wanted.length).toBeGreaterThan(0);
      const { items, totals } = await walk((cursor) =>
        vpcsRepo.listVpcs(t.db, { ...filter, limit: 4, ...(cursor ? { cursor } : {}) }),
      );
      expect(items.map((v) => v.id)).toEqual(wanted.map((v) => v.id));
      expect(new Set(totals)).toEqual(new Set([wanted.length]));
    },
  );

  it('sorts by name both ways with the id breaking ties, and reaches the last VPC', async () => {
    for (const dir of ['asc', 'desc'] as const) {
      const { items } = await walk((cursor) =>
        vpcsRepo.listVpcs(t.db, {
          includeDestroyed: true,
          sort: 'name',
          dir,
          limit: 5,
          ...(cursor ? { cursor } : {}),
        }),
      );
      const cmp = dir === 'asc' ? asc : desc;
      expect(items.map((v) => v.id)).toEqual(
        [...vpcs]
          .sort(
            cmp(
              (v) => v.name,
              (v) => v.id,
            ),
          )
          .map((v) => v.id),
      );
    }
    const { items } = await walk((cursor) =>
      vpcsRepo.listVpcs(t.db, { includeDestroyed: true, limit: 200, ...(cursor ? { cursor } : {}) }),
    );
    expect(items.at(-1)?.createdAt).toBe(t0);
  });

  it('refuses a malformed cursor, a tampered one and one made for another sort as BAD_INPUT', async () => {
    const first = await vpcsRepo.listVpcs(t.db, { limit: 2 });
    const cursor = first.nextCursor as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const bad = [
      'not a cursor!',
      'x'.repeat(5000),
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from(JSON.stringify(['createdAt', 'desc', 'a string', 'id'])).toString('base64url'),
      Buffer.from(JSON.stringify(['createdAt', 'desc', 1, { id: 1 }])).toString('base64url'),
    ];
    for (const c of bad)
      await expect(vpcsRepo.listVpcs(t.db, { limit: 2, cursor: c })).rejects.toSatisfy(badInput);
    await expect(vpcsRepo.listVpcs(t.db, { limit: 2, cursor, sort: 'name' })).rejects.toSatisfy(badInput);
    await expect(vpcsRepo.listVpcs(t.db, { limit: 2, cursor, dir: 'asc' })).rejects.toSatisfy(badInput);
    expect((await vpcsRepo.listVpcs(t.db, { limit: 2, cursor })).items).toHaveLength(2);
  });

  it('caps the count when asked: the cap and totalCapped past it, the exact count at or under it, rows unchanged', async () => {
    const spec: SortSpec<'createdAt'> = {
      columns: { createdAt: { column: 'created_at', type: 'number' } },
      id: { column: 'id', type: 'string' },
      defaultSort: 'createdAt',
      defaultDir: 'desc',
    };
    const live = vpcs.filter((v) => v.state !== 'Destroy');
    const page = (cap: number, cursor?: string) =>
      keysetPage(
        t.db.selectFrom('vpcs').where('state', '!=', 'Destroy'),
        spec,
        { limit: 4, ...(cursor ? { cursor } : {}) },
        (q) => q.select('id'),
        (r) => String(r.id),
        { countCap: { db: t.db, cap } },
      );
    const under = await page(live.length - 1);
    expect([under.total, under.totalCapped]).toEqual([live.length - 1, true]);
    for (const cap of [live.length, live.length + 50]) {
      const exact = await page(cap);
      expect([exact.total, exact.totalCapped]).toEqual([live.length, undefined]);
    }
    // The cap bounds the count only: every row is still reached, page by page.
    const { items, totals } = await walk((cursor) => page(3, cursor));
    expect(new Set(items)).toEqual(new Set(live.map((v) => v.id)));
    expect(items).toHaveLength(live.length);
    expect(new Set(totals)).toEqual(new Set([3]));
  });
});
