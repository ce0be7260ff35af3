// /readyz: the database answers `select 1`, no migration is pending, and this node is not draining. When not ready,
// `reason` says why in one line (load balancers and operators read it; no secret is ever in it). It also says
// whether every stored credential is readable here; that check reports without failing readiness (see operations.md).
import type { ApiDeps } from '@netplane/api';
import { describeDatabaseError, pendingMigrations } from '@netplane/db';

export type Readiness = {
  ready: boolean;
  reason?: string;
  checks: { database: string; migrations: string; draining: boolean; credentials: string };
};

/** A database that does not answer at all (a partition, not a refusal) must not hang the probe. */
const PROBE_TIMEOUT_MS = 3_000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${PROBE_TIMEOUT_MS} ms`)),
      PROBE_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

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
    await withTimeout(deps.db.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute(), 'select 1');
  } catch (e) {
    database = `unreachable: ${describeDatabaseError(e)}`;
  }
  if (database === 'ok') {
    try {
      const pending = await withTimeout(pendingMigrations(deps.db.db), 'migrations');
      if (pending.length > 0) migrations = `pending: ${pending.join(', ')}`;
    } catch (e) {
      migrations = `unknown: ${describeDatabaseError(e)}`;
    }
    try {
      credentials = await withTimeout(credentialsCheck(), 'credentials');
    } catch (e) {
      credentials = `unknown: ${describeDatabaseError(e)}`;
    }
  } else {
    migrations = 'unknown: the database is unreachable';
    credentials = 'unknown: the database is unreachable';
  }
  // Unreadable credentials do not make the node unready: every node would then leave the load balancer when a key is
  // lost everywhere, and the console (where the credentials are re-entered) would go down with them.
  const ready = database === 'ok' && migrations === 'ok' && !state.draining;
  const reason =
    database !== 'ok'
      ? `database ${database}`
      : migrations !== 'ok'
        ? `migrations ${migrations}`
        : state.draining
          ? 'draining'
          : undefined;
  return {
    ready,
    ...(reason !== undefined && { reason }),
    checks: { database, migrations, draining: state.draining, credentials },
  };
}
