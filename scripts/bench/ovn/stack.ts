// The whole Netplane stack in this process, as `start` builds it: a fresh database, the server's adapter loader,
// a real keyring, ApiDeps, the engine's workers and the server's Express app listening on a free loopback port.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterModule } from '@netplane/adapter-sdk';
import { type AdapterRegistration, type ApiDeps, prepareFirstRun } from '@netplane/api';
import { connect, type DialectName, migrateToLatest } from '@netplane/db';
import { createTestDatabaseUrl } from '@netplane/db/testing';
import { Engine } from '@netplane/engine';
import { fileKeySource, Keyring, keyFilePath } from '@netplane/secrets';
import pino from 'pino';
import { loadAdapters } from '../../../apps/server/src/adapters';
import { createHttpApp } from '../../../apps/server/src/http-app';
import { HttpApi } from './http-api';
import type { SqlProfile } from './sql-profile';

export type Stack = {
  api: HttpApi;
  engine: Engine;
  deps: ApiDeps;
  baseUrl: string;
  close(): Promise<void>;
};

/** Adapter-side time of each prepareNics (profiling only): the element's own work, without the engine's guards. */
export type AdapterTiming = { startedAt: number; ms: number; nics: number; tiers: number };

/** Wraps the ovn module so each element's prepareNics is timed; everything else passes through untouched. */
function timed(r: AdapterRegistration, timings: AdapterTiming[]): AdapterRegistration {
  if (r.status !== 'Fully Loaded' || r.id !== 'ovn') return r;
  const inner = r.module;
  const module: AdapterModule = {
    manifest: inner.manifest,
    createElement(connection, env) {
      const element = inner.createElement(connection, env);
      const prepareNics = element.prepareNics.bind(element);
      element.prepareNics = async (nics, ctx) => {
        const startedAt = Date.now();
        const t0 = performance.now();
        try {
          return await prepareNics(nics, ctx);
        } finally {
          const tiers = new Set(nics.map((n) => n.networkId)).size;
          timings.push({ startedAt, ms: performance.now() - t0, nics: nics.length, tiers });
        }
      };
      return element;
    },
  };
  return { ...r, module };
}

export async function startStack(
  dialect: DialectName,
  profiling?: { sql: SqlProfile; adapter: AdapterTiming[] },
  engineOptions: { prepareBatchSize?: number } = {},
  /** Adapters the server does not load itself (a bench's own registration), and the one the bench needs. */
  more: { adapters?: AdapterRegistration[]; needs?: string } = {},
): Promise<Stack> {
  const logger = pino({ level: 'silent' });
  const { url, drop } = await createTestDatabaseUrl(dialect);
  const db = connect(url);
  await migrateToLatest(db.db);
  const keyDir = mkdtempSync(join(tmpdir(), 'netplane-bench-keys-'));
  const extra = more.adapters ?? [];
  const loaded = [...(await loadAdapters(logger)).filter((r) => !extra.some((e) => e.id === r.id)), ...extra];
  const adapters = profiling ? loaded.map((r) => timed(r, profiling.adapter)) : loaded;
  const needed = more.needs ?? 'ovn';
  if (adapters.find((a) => a.id === needed)?.status !== 'Fully Loaded') {
    throw new Error(`The server did not load the ${needed} adapter`);
  }
  const parts = {
    db: profiling ? { ...db, db: db.db.withPlugin(profiling.sql) } : db,
    logger: {
      info: () => {},
      warn: () => {},
      error: (obj: object, msg?: string) => logger.error(obj, msg),
    },
    adapters,
    secrets: new Keyring(fileKeySource(keyFilePath(keyDir))),
    now: () => Date.now(),
  };
  // The server's own engine defaults, as `npm start` runs it, unless an option the server reads from its environment
  // (NETPLANE_PREPARE_BATCH_SIZE) is given.
  const engine = new Engine(parts, { ...engineOptions, nodeId: `bench-ovn-${randomUUID().slice(0, 6)}` });
  const deps: ApiDeps = { ...parts, engine };
  const password = randomBytes(12).toString('base64url');
  await prepareFirstRun(deps, password);
  await engine.start();
  const app = createHttpApp({
    deps,
    logger,
    state: { draining: false },
    cookieSecure: false,
    webDist: join(keyDir, 'no-web'),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = new HttpApi(baseUrl);
  await api.login('admin', password);
  return {
    api,
    engine,
    deps,
    baseUrl,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await engine.stop();
      await db.close();
      await drop();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}
