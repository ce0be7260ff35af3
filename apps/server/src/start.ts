// `start`: check the data dir and bind the port, migrate, open the keyring, load adapters, build ApiDeps, first-run
// setup, start the engine, serve, and drain on signals. What fails before serving is a StartupError where we can say why.

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  createLoginLimiter,
  createTokenLimiter,
  credentialsHealth,
  isSetupNeeded,
  loadDemoOnStart,
  prepareFirstRun,
  purgeExpiredSessions,
} from '@netplane/api';
import { describeDatabaseError, openRateLimitStore } from '@netplane/db';
import { OutageLog } from '@netplane/engine';
import { stopProcessAdapters } from './adapter-process';
import { installedAdapters, loadAdapters } from './adapters';
import { buildApiDeps } from './app-deps';
import { printStartBanner } from './banner';
import { openDatabase } from './database';
import { registerDrainHook } from './drain';
import { startEngine } from './engine-hook';
import type { Env } from './env';
import { createHttpApp } from './http-app';
import { describeAudit, openServerKeyring } from './key-audit';
import type { Logger } from './logger';
import { metricsRegistry } from './metrics';
import { bindHttpServer, checkDirectories } from './preflight';
import { installShutdown } from './shutdown';

export async function startServer(env: Env, logger: Logger): Promise<void> {
  checkDirectories(env);
  // The port first: a node that cannot listen must not migrate, create the admin or print a setup token.
  const http = await bindHttpServer(env);
  try {
    await startOn(http, env, logger);
  } catch (e) {
    http.server.close();
    throw e;
  }
}

async function startOn(
  http: Awaited<ReturnType<typeof bindHttpServer>>,
  env: Env,
  logger: Logger,
): Promise<void> {
  const { server } = http;
  // Idle pooled connections that die (a database blip) are only logged: the pool opens new ones on demand.
  const idleConnections = new OutageLog(logger.child({ component: 'db' }), 'An idle database connection');
  const { db, applied } = await openDatabase(env, (err) => idleConnections.failed(err));
  logger.info({ dialect: db.dialect, applied }, 'Database ready');
  if (env.databaseUrl.endsWith(':memory:'))
    logger.warn({}, 'DATABASE_URL is sqlite::memory:: everything is lost when this process exits');
  const keyring = await openServerKeyring(env, db.db);
  logger.info({ source: keyring.describe, activeKeyId: keyring.activeKeyId }, 'Credential keyring open');
  const adapters = await loadAdapters(
    logger,
    undefined,
    undefined,
    installedAdapters(env),
    undefined,
    env.adapterRuntime,
  );
  // Login and refused-token counters: shared by every node on MySQL (their own small pool), in memory on SQLite.
  const limitStore = openRateLimitStore(env.databaseUrl);
  const loginLimiter = await createLoginLimiter(limitStore);
  const tokenLimiter = await createTokenLimiter(limitStore);
  const deps = buildApiDeps({
    db,
    logger,
    adapters,
    keyring,
    loginLimiter,
    tokenLimiter,
    engineOptions: { ...env.engineOptions, nodeId: env.nodeId },
  });
  const audit = await credentialsHealth({ db: db.db, deps });
  if (audit.unreadableRows > 0) {
    const { controllers, ...counts } = audit;
    logger.warn(
      { ...counts, controllers: controllers.map((c) => c.name), source: keyring.describe },
      `Credentials unreadable on this node: ${describeAudit(audit)}. Restore the missing key (key file or NETPLANE_MASTER_KEY) or re-enter those controllers' credentials.`,
    );
  }

  // The demo on a database with no user: its admin gets a generated password, shown on the banner only.
  const demoPassword =
    env.demo && !env.adminPassword && (await isSetupNeeded(deps))
      ? randomBytes(12).toString('base64url')
      : undefined;
  const firstRun = await prepareFirstRun(deps, env.adminPassword ?? demoPassword);
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
  const app = createHttpApp({
    deps,
    logger,
    state,
    cookieSecure: env.cookieSecure,
    webDist: env.webDist,
    credentialsCheck: async () => describeAudit(await credentialsHealth({ db: db.db, deps })),
  });
  http.serve(app);
  // Keep idle connections open longer than HTTP clients' own keep-alive (undici: 4 s, browsers and proxies up to
  // 60 s): otherwise the server may close a socket just as a client reuses it, and that request dies with ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const port = (server.address() as AddressInfo).port;
  logger.info({ url: `http://${env.host}:${port}`, nodeId: env.nodeId }, 'Netplane listening');
  const demo = env.demo ? await loadDemoOnStart(deps) : undefined;
  if (demo?.loading)
    demo.done.then(
      () => logger.info({}, 'Demo loaded'),
      (err: unknown) => logger.warn({ err: String(err) }, 'Loading the demo failed'),
    );
  else if (demo) logger.info({ why: demo.why }, `Demo not loaded: ${demo.why}`);
  printStartBanner({
    port,
    host: env.host,
    databaseUrl: env.databaseUrl,
    adapters,
    firstRun,
    ...(demoPassword && firstRun.kind === 'admin-created' ? { demoPassword } : {}),
    ...(demo ? { demo: demo.loading ? 'loading' : `not loaded: ${demo.why}` } : {}),
  });

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
      // After the engine: its last calls may still need the adapter processes.
      await stopProcessAdapters();
      await limitStore.close();
      await db.close();
    },
  });
}
