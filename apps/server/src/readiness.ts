// /readyz: the database answers `select 1`, no migration is pending, and this node is not draining.
import type { ApiDeps } from '@netplane/api';
import { pendingMigrations } from '@netplane/db';

export type Readiness = {
  ready: boolean;
  checks: { database: string; migrations: string; draining: boolean };
};

const firstLine = (e: unknown) =>
  e instanceof Error ? (e.message.split('\n')[0] ?? '').slice(0, 120) : 'error';

export async function checkReadiness(deps: ApiDeps, state: { draining: boolean }): Promise<Readiness> {
  let database = 'ok';
  let migrations = 'ok';
  try {
    // select 1: the cheapest round trip that proves a connection works.
    await deps.db.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
  } catch (e) {
    database = `unreachable: ${firstLine(e)}`;
  }
  try {
    const pending = await pendingMigrations(deps.db.db);
    if (pending.length > 0) migrations = `pending: ${pending.join(', ')}`;
  } catch (e) {
    migrations = `unknown: ${firstLine(e)}`;
  }
  const ready = database === 'ok' && migrations === 'ok' && !state.draining;
  return { ready, checks: { database, migrations, draining: state.draining } };
}
