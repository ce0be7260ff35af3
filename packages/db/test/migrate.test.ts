import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrateToLatest, pendingMigrations } from '../src/migrate';
import * as m013 from '../src/migrations/013-rule-public-ips';
import * as m015 from '../src/migrations/015-port-forwarding';
import * as m016 from '../src/migrations/016-api-tokens';
import * as m017 from '../src/migrations/017-realized';
import { createTestDatabase, type TestDatabase, testDialects } from '../src/testing';

describe.each(testDialects())('migrations on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('leaves nothing pending after a first run', async () => {
    expect(await pendingMigrations(t.db)).toEqual([]);
  });

  it('is idempotent: a second run applies nothing', async () => {
    expect(await migrateToLatest(t.db)).toEqual([]);
    expect(Object.keys(MIGRATIONS).length).toBeGreaterThan(0);
  });

  it('round-trips epoch-millisecond times and text through a real table', async () => {
    const now = Date.now();
    await t.db.insertInto('settings').values({ key: 'k', value: 'ünïcode ✓', updated_at: now }).execute();
    const row = await t.db
      .selectFrom('settings')
      .selectAll()
      .where('key', '=', 'k')
      .executeTakeFirstOrThrow();
    expect(row.value).toBe('ünïcode ✓');
    expect(Number(row.updated_at)).toBe(now);
  });

  it('takes 013-rule-public-ips down (foreign keys, index, column) and up again', async () => {
    const db = t.db as never;
    await m013.down(db);
    await m013.up(db);
    const r = await t.db.selectFrom('static_nat_rules').select('public_ip_id').execute();
    expect(r).toEqual([]);
  });

  // Before 015's round trip, which recreates port_forwarding_rules without the column this one adds.
  it("takes 017-realized down (the VPC column and index, the rules' conditions) and up again", async () => {
    const db = t.db as never;
    await m017.down(db);
    await m017.up(db);
    const vpcs = await t.db.selectFrom('vpcs').select(['realized_status']).execute();
    expect(vpcs.every((v) => v.realized_status === null)).toBe(true);
    for (const table of ['static_nat_rules', 'lb_rules', 'port_forwarding_rules'] as const)
      expect(await t.db.selectFrom(table).select('conditions').execute()).toEqual([]);
  });

  it('takes 015-port-forwarding down (the table and its foreign key to public_ips) and up again', async () => {
    const db = t.db as never;
    await m015.down(db);
    await m015.up(db);
    expect(await t.db.selectFrom('port_forwarding_rules').select('id').execute()).toEqual([]);
  });

  it('takes 016-api-tokens down and up again', async () => {
    const db = t.db as never;
    await m016.down(db);
    await m016.up(db);
    expect(await t.db.selectFrom('api_tokens').select('id').execute()).toEqual([]);
  });
});
