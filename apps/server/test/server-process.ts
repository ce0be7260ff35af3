// Test harness: spawns the real `node dist/main.js start` on a free port with its own data dir, captures its
// output, and speaks the tRPC HTTP wire format with a cookie jar and the CSRF header.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');

export type RunningServer = {
  url: string;
  proc: ChildProcess;
  output: () => string;
  dataDir: string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

export async function startServerProcess(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'netplane-server-'));
  const proc = spawn(process.execPath, [MAIN, 'start'], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      NETPLANE_DATA_DIR: join(dataDir, 'data'),
      DATABASE_URL: `sqlite:${join(dataDir, 'data', 'netplane.db')}`,
      LOG_LEVEL: 'info',
      NETPLANE_WEB_DIST: join(dataDir, 'no-web'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test runner that dies (timeout, Ctrl-C) must not leave an orphan server behind.
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  proc.once('exit', () => process.off('exit', killOnExit));
  let out = '';
  proc.stdout?.on('data', (d) => {
    out += String(d);
  });
  proc.stderr?.on('data', (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: at load ~25 (a CI beside busy loops) two nodes starting at once printed nothing for 60 s.
    const timer = setTimeout(() => reject(new Error(`server did not start within 180 s:\n${out}`)), 180_000);
    const check = () => {
      const m = out.match(/"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"Netplane listening"/);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${url}/healthz`).catch(() => undefined);
    if (r?.ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    dataDir,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null) proc.kill(signal);
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

export type TrpcResult = { status: number; body: unknown; text: string; headers: Headers };

/** A browser-like client: keeps the np_session cookie and sends x-csrf-token on mutations once it has one. */
export class TrpcClient {
  cookie: string | undefined;
  csrf: string | undefined;
  /** A call that hangs fails the test with the procedure's name instead of stalling the run. */
  timeoutMs = 15_000;
  constructor(readonly baseUrl: string) {}

  #remember(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      if (pair?.startsWith('np_session=')) this.cookie = pair.endsWith('=') ? undefined : pair;
    }
  }

  #headers(extra: Record<string, string> = {}) {
    return {
      ...(this.cookie ? { cookie: this.cookie } : {}),
      ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}),
      ...extra,
    };
  }

  async query(path: string, input?: unknown): Promise<TrpcResult> {
    const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const res = await fetch(`${this.baseUrl}/trpc/${path}${qs}`, {
      headers: this.#headers(),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return this.#read(res);
  }

  async mutate(path: string, input?: unknown, headers: Record<string, string> = {}): Promise<TrpcResult> {
    const res = await fetch(`${this.baseUrl}/trpc/${path}`, {
      method: 'POST',
      headers: this.#headers({ 'content-type': 'application/json', ...headers }),
      body: input === undefined ? undefined : JSON.stringify(input),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return this.#read(res);
  }

  async #read(res: Response): Promise<TrpcResult> {
    this.#remember(res);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the test will say so
    }
    return { status: res.status, body, text, headers: res.headers };
  }

  async login(username: string, password: string): Promise<TrpcResult> {
    const r = await this.mutate('auth.login', { username, password });
    const data = (r.body as { result?: { data?: { csrfToken?: string } } }).result?.data;
    if (data?.csrfToken) this.csrf = data.csrfToken;
    return r;
  }
}

export const dataOf = <T>(r: TrpcResult): T => (r.body as { result: { data: T } }).result.data;
export const errorOf = (r: TrpcResult) =>
  (r.body as { error: { message: string; data: { code: string; httpStatus: number } } }).error;
