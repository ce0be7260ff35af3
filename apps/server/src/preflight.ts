// Checks that run before migrations and setup touch anything: the data dir is a writable directory, and the port is
// ours (bound for real, so nothing can take it between the check and the listen).
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { sqlitePath } from '@netplane/db';
import type { Env } from './env';
import { StartupError } from './startup-error';

const codeOf = (e: unknown) => (e as NodeJS.ErrnoException).code ?? 'error';

/** mkdir -p, then a probe file: as root, access(W_OK) says yes even on a read-only mount, so only a write tells. */
export function checkWritableDir(dir: string, setting: string): void {
  try {
    if (!statSync(dir).isDirectory())
      throw new StartupError(
        setting,
        `${dir} exists but is not a directory`,
        `Move that file away, or point ${setting} at a directory.`,
      );
  } catch (e) {
    if (e instanceof StartupError) throw e;
    if (codeOf(e) === 'ENOTDIR')
      throw new StartupError(
        setting,
        `${dir} cannot be a directory: a part of its path is a file`,
        `Point ${setting} at a directory.`,
        { cause: e },
      );
    // ENOENT: created below.
  }
  const probe = join(dir, `.write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(probe, '', { mode: 0o600 });
    unlinkSync(probe);
  } catch (e) {
    const code = codeOf(e);
    if (code === 'ENOTDIR' || code === 'EEXIST')
      throw new StartupError(
        setting,
        `${dir} is not a directory (${code})`,
        `Point ${setting} at a directory.`,
        {
          cause: e,
        },
      );
    throw new StartupError(
      setting,
      `${dir} is not writable by this process (${code})`,
      `Let the server's user write there (chown/chmod, or a writable volume), or point ${setting} elsewhere.`,
      { cause: e },
    );
  }
}

/** The data dir when something lives there: the key file (no NETPLANE_MASTER_KEY) or the SQLite file. */
export function checkDirectories(env: Env): void {
  const usesKeyFile = env.masterKey === undefined || env.masterKey.trim() === '';
  if (usesKeyFile) checkWritableDir(env.dataDir, 'NETPLANE_DATA_DIR');
  if (env.databaseUrl.startsWith('sqlite:') || env.databaseUrl.startsWith('file:')) {
    const path = sqlitePath(env.databaseUrl);
    if (path === ':memory:') return;
    const dir = dirname(path);
    checkWritableDir(dir, dir.startsWith(env.dataDir) ? 'NETPLANE_DATA_DIR' : 'DATABASE_URL');
  }
}

function portFailure(e: unknown, env: Env): StartupError {
  const code = codeOf(e);
  switch (code) {
    case 'EADDRINUSE':
      return new StartupError(
        'PORT',
        `port ${env.port} on ${env.host} is already in use`,
        'Stop the process that holds it (ss -ltnp), or set PORT to a free port.',
        { cause: e },
      );
    case 'EACCES':
      return new StartupError(
        'PORT',
        `port ${env.port} needs privileges this process lacks`,
        'Use a port above 1023 (and a reverse proxy for 80/443), or grant CAP_NET_BIND_SERVICE.',
        { cause: e },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(
        'HOST',
        `${env.host} is not an address of this machine (${code})`,
        'Set HOST to an address of this machine (127.0.0.1, 0.0.0.0, or an interface address).',
        { cause: e },
      );
    default:
      return new StartupError(
        'PORT',
        `cannot listen on ${env.host}:${env.port} (${code})`,
        'Check PORT and HOST.',
        {
          cause: e,
        },
      );
  }
}

/**
 * Binds the HTTP server before anything else runs. Until `serve` hands it the app, it answers 503 (`/healthz` 200:
 * the process is alive, only not ready), so a slow migration does not look like a dead node.
 */
export async function bindHttpServer(
  env: Env,
): Promise<{ server: Server; serve(app: RequestListener): void }> {
  const starting: RequestListener = (req, res) => {
    const alive = req.url === '/healthz';
    res.writeHead(alive ? 200 : 503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify(alive ? { status: 'starting' } : { ready: false, status: 'starting' }));
  };
  let handler = starting;
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(portFailure(e, env)));
    server.listen(env.port, env.host, () => resolve());
  });
  return {
    server,
    serve: (app) => {
      handler = app;
    },
  };
}
