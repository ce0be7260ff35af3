// /readyz: the database answers `select 1`, no migration is pending, and this node is not draining. It also says
// whether every stored credential is readable here; that check reports without failing readiness (see operations.md).
import type { ApiDeps } from '@netplane/api';
import { pendingMigrations } from '@netplane/db';

export type Readiness = {
  ready: boolean;
  checks: { database: string; migrations: string; draining: boolean; credentials: string };
};

const firstLine = (e: unknown) =>
  e instanceof Error ? (e.message.split('\n')[0] ?? '').slice(0, 120) : 'error';

export async function checkReadiness(
  deps: ApiDeps,
  state: { draining: boolean },
  credentialsCheck: () => Promise<string> = async () => 'ok',
): Promise<Readiness> {
  let database = 'ok';
  let migrations = 'ok';
  let credentials = 'ok';
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
  try {
    credentials = await credentialsCheck();
  } catch (e) {
    credentials = `unknown: ${firstLine(e)}`;
  }
  // Unreadable credentials do not make the node unready: every node would then leave the load balancer when a key is
  // lost everywhere, and the console (where the credentials are re-entered) would go down with them.
  const ready = database === 'ok' && migrations === 'ok' && !state.draining;
  return { ready, checks: { database, migrations, draining: state.draining, credentials } };
}
