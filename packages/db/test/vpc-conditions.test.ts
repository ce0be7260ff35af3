// The VPC condition columns of migration 014 (ready_status, synced_status): backfilled from the JSON of the VPCs that
// exist when it runs, and kept equal to it by every write of `conditions` (insert, casState, casConditions,
// casStateMany), so the list's condition filter, which reads only the column, answers what the JSON says.
import { randomUUID } from 'node:crypto';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type DbHandle } from '../src/connect';
import { transitionsRepo, vpcsRepo } from '../src/index';
import { MIGRATIONS, migrateToLatest } from '../src/migrate';
import { createTestDatabaseUrl, seedSimulatorInventory, testDialects } from '../src/testing';

const conditions = (synced: string | null, ready = 'True') =>
  JSON.stringify([
    { type: 'Ready', status: ready, reason: 'X', message: '', lastTransitionTime: 1 },
    ...(synced === null
      ? []
      : [{ type: 'Synced', status: synced, reason: 'X', message: '', lastTransitionTime: 1 }]),
  ]);

describe.each(testDialects())('VPC condition columns on %s', (dialect) => {
  let h: DbHandle;
  let drop: () => Promise<void> = async () => {};
  let zoneId = '';
  let offeringId = '';
  const newVpc = (id: string, conds: string) => ({
    id,
    name: `v-${id.slice(0, 8)}`,
    zone_id: zoneId,
    offering_id: offeringId,
    cidr: '10.0.0.0/16',
    state: 'Implemented',
    conditions: conds,
    created_by: 't',
    created_at: 1,
    updated_at: 1,
    version: 1,
  });
  const columnsOf = (id: string) =>
    h.db
      .selectFrom('vpcs')
      .select(['ready_status', 'synced_status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  // Rows written before migration 014, whose JSON the backfill reads.
  const before = [
    { id: randomUUID(), conds: conditions('False'), ready: 'True', synced: 'False' },
    { id: randomUUID(), conds: conditions('True', 'False'), ready: 'False', synced: 'True' },
    { id: randomUUID(), conds: conditions(null), ready: 'True', synced: null },
    { id: randomUUID(), conds: '[]', ready: null, synced: null },
    { id: randomUUID(), conds: 'not json', ready: null, synced: null },
  ];

  beforeAll(async () => {
    const db = await createTestDatabaseUrl(dialect);
    drop = db.drop;
    h = connect(db.url);
    const provider = { getMigrations: async () => MIGRATIONS };
    const toPrevious = await new Migrator({ db: h.db, provider }).migrateTo('013-rule-public-ips');
    if (toPrevious.error) throw toPrevious.error;
    const seed = await seedSimulatorInventory(h.db, {
      label: 'conds',
      vlanRange: { start: 100, end: 199 },
      credentials: () => ({ ciphertext: 'x', keyId: 'k' }),
      limits: { maxConcurrent: 4, callsPerSecond: 100, timeoutMs: 1000 },
    });
    zoneId = seed.zoneId;
    offeringId = seed.vpcOfferingId;
    // Without the columns, the schema type does not apply: the rows are written as the old code wrote them.
    for (const b of before) await h.db.insertInto('vpcs').values(newVpc(b.id, b.conds)).execute();
    expect(await migrateToLatest(h.db)).toContain('014-list-filter-indexes');
  });
  afterAll(async () => {
    await h?.close();
    await drop();
  });

  it('backfills each existing VPC from its JSON (malformed or missing: NULL)', async () => {
    for (const b of before)
      expect(await columnsOf(b.id), b.conds).toEqual({ ready_status: b.ready, synced_status: b.synced });
  });

  it('follows every write of the conditions, and the filter answers what the JSON says', async () => {
    const id = randomUUID();
    await vpcsRepo.insertVpc(h.db, {
      id,
      name: 'written',
      zoneId,
      offeringId,
      cidr: '10.0.0.0/16',
      state: 'Implemented',
      conditions: conditions('True'),
      createdBy: 't',
      createdAt: 1,
    });
    expect(await columnsOf(id)).toEqual({ ready_status: 'True', synced_status: 'True' });

    expect(
      await transitionsRepo.casState(h.db, {
        table: 'vpcs',
        id,
        version: 1,
        to: 'Error',
        now: 2,
        conditions: conditions('False', 'False'),
      }),
    ).toBe(true);
    expect(await columnsOf(id)).toEqual({ ready_status: 'False', synced_status: 'False' });

    expect(await transitionsRepo.casConditions(h.db, 'vpcs', id, 2, conditions('Unknown'), 3)).toBe(true);
    expect(await columnsOf(id)).toEqual({ ready_status: 'True', synced_status: 'Unknown' });

    // A state change without conditions leaves the columns as they are.
    expect(
      await transitionsRepo.casState(h.db, { table: 'vpcs', id, version: 3, to: 'Implemented', now: 4 }),
    ).toBe(true);
    expect(await columnsOf(id)).toEqual({ ready_status: 'True', synced_status: 'Unknown' });

    const moved = await transitionsRepo.casStateMany(h.db, {
      table: 'vpcs',
      from: 'Implemented',
      to: 'Implementing',
      now: 5,
      rows: [{ id, version: 4 }],
      conditions: conditions('False'),
    });
    expect(moved).toBe(1);
    expect(await columnsOf(id)).toEqual({ ready_status: 'True', synced_status: 'False' });

    // Realized has its own column (migration 017), and the filter takes several conditions at once.
    const withRealized = JSON.stringify([
      ...JSON.parse(conditions('True')),
      { type: 'Realized', status: 'False', reason: 'NotCompiled', message: '', lastTransitionTime: 6 },
    ]);
    expect(await transitionsRepo.casConditions(h.db, 'vpcs', id, 5, withRealized, 6)).toBe(true);
    const realized = await h.db
      .selectFrom('vpcs')
      .select(['realized_status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(realized.realized_status).toBe('False');
    const notRealized = await vpcsRepo.listVpcs(h.db, {
      limit: 50,
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'Synced', status: 'True' },
        { type: 'Realized', status: 'False' },
      ],
    });
    expect(notRealized.items.map((v) => v.id)).toEqual([id]);
    expect(await transitionsRepo.casConditions(h.db, 'vpcs', id, 6, conditions('False'), 7)).toBe(true);

    const notSynced = await vpcsRepo.listVpcs(h.db, {
      limit: 50,
      condition: { type: 'Synced', status: 'False' },
    });
    expect(notSynced.items.map((v) => v.id).sort()).toEqual([id, before[0]?.id].sort());
    expect(notSynced.total).toBe(2);
  });
});
