// `start`: migrate, load adapters, build ApiDeps, first-run setup, start the engine, listen, and drain on signals.
import type { AddressInfo } from 'node:net';
import { createLoginLimiter, prepareFirstRun, purgeExpiredSessions } from '@netplane/api';
import { connect, describeDatabaseError, migrateToLatest, openRateLimitStore } from '@netplane/db';
import { OutageLog } from '@netplane/engine';
import { openKeyring } from '@netplane/secrets';
import { loadAdapters } from './adapters';
import { buildApiDeps } from './app-deps';
import { printSetupBanner } from './banner';
import { registerDrainHook } from './drain';
import { startEngine } from './engine-hook';
import type { Env } from './env';
import { createHttpApp } from './http-app';
import type { Logger } from './logger';
import { metricsRegistry } from './metrics';
import { installShutdown } from './shutdown';

export async function startServer(env: Env, logger: Logger): Promise<void> {
  // Idle pooled connections that die (a database blip) are only logged: the pool opens new ones on demand.
  const idleConnections = new OutageLog(logger.child({ component: 'db' }), 'An idle database connection');
  const db = connect(env.databaseUrl, { onConnectionError: (err) => idleConnections.failed(err) });
  const applied = await migrateToLatest(db.db);
  logger.info({ dialect: db.dialect, applied }, 'Database ready');
  const keyring = openKeyring({ masterKeyEnv: env.masterKey, dataDir: env.dataDir });
  logger.info({ source: keyring.describe, activeKeyId: keyring.activeKeyId }, 'Credential keyring open');
  const adapters = await loadAdapters(logger);
  // Login counters: shared by every node on MySQL (their own small pool), in memory on SQLite.
  const limitStore = openRateLimitStore(env.databaseUrl);
  const loginLimiter = await createLoginLimiter(limitStore);
  const deps = buildApiDeps({
    db,
    logger,
    adapters,
    keyring,
    loginLimiter,
    engineOptions: { ...env.engineOptions, nodeId: env.nodeId },
  });

  const firstRun = await prepareFirstRun(deps, env.adminPassword);
  if (firstRun.kind === 'admin-created')
    logger.info({ username: firstRun.username }, 'Created the first admin');

  const engine = await startEngine({
    deps,
    env,
    logger,
    metrics: metricsRegistry,
    onDrain: registerDrainHook,
  });
  const state = { draining: false };
  const app = createHttpApp({ deps, logger, state, cookieSecure: env.cookieSecure, webDist: env.webDist });
  const server = app.listen(env.port, env.host);
  // Keep idle connections open longer than HTTP clients' own keep-alive (undici: 4 s, browsers and proxies up to
  // 60 s): otherwise the server may close a socket just as a client reuses it, and that request dies with ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ url: `http://${env.host}:${port}`, nodeId: env.nodeId }, 'Netplane listening');
  if (firstRun.kind === 'token') printSetupBanner(port, firstRun.token);

  // Expired sessions are refused on use anyway; this only keeps the table small.
  const purge = setInterval(() => {
    purgeExpiredSessions(deps).catch((err: unknown) =>
      logger.warn({ err: describeDatabaseError(err) }, 'Session purge failed'),
    );
  }, 10 * 60_000);
  purge.unref();

  installShutdown({
    server,
    state,
    logger,
    drainMs: env.drainSeconds * 1000,
    close: async () => {
      clearInterval(purge);
      await engine.stop();
      await limitStore.close();
      await db.close();
    },
  });
}
