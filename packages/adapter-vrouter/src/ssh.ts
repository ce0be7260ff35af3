// One SSH connection to the router host (ssh2): key authentication, the host key pinned in the controller's config,
// keep-alive, one exec channel per batch script, every call bounded by its AbortSignal. The private key lives only in
// the ssh2 client's options; nothing here logs it or puts it in an error.
import { createHash } from 'node:crypto';
import {
  AdapterError,
  type AdapterLogger,
  abortable,
  abortError,
  throwIfAborted,
} from '@netplane/adapter-sdk';
import { Client, type ClientChannel } from 'ssh2';
import type { ParsedConnection } from './config';

export type ExecResult = { stdout: string; stderr: string; code: number | null };

/** sshd's MaxSessions defaults to 10 channels per connection: stay below it. */
const MAX_CHANNELS = 8;
// sshd gives a non-root login a PATH without the sbin directories that ip, dnsmasq and nft live in.
const PATH_LINE = 'PATH=/usr/local/sbin:/usr/sbin:/sbin:$PATH\n';

export const fingerprintOf = (blob: Buffer): string =>
  `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/** The pinned key as a fingerprint, whichever form the config gives it in. */
export function pinnedFingerprint(hostKey: string): string {
  if (hostKey.startsWith('SHA256:')) return hostKey.replace(/=+$/, '');
  const blob = Buffer.from(hostKey.split(' ')[1] ?? '', 'base64');
  return fingerprintOf(blob);
}

export class SshHost {
  private client: Client | null = null;
  private ready: Promise<Client> | null = null;
  private channels = 0;
  private waiting: (() => void)[] = [];
  private closed = false;
  /** Round trips (exec channels) since the element was built: what the boot-storm bench reports. */
  roundTrips = 0;

  constructor(
    private readonly conn: ParsedConnection,
    private readonly logger: AdapterLogger,
  ) {}

  private connect(): Promise<Client> {
    if (this.ready) return this.ready;
    const { endpoint, config } = this.conn;
    const pinned = pinnedFingerprint(config.hostKey);
    let presented: string | null = null;
    const client = new Client();
    this.client = client;
    this.ready = new Promise<Client>((resolve, reject) => {
      const forget = () => {
        if (this.client === client) {
          this.client = null;
          this.ready = null;
        }
      };
      client.on('ready', () => resolve(client));
      client.on('error', (e: Error & { level?: string; code?: string }) => {
        forget();
        reject(this.mapConnectError(e, presented, pinned));
      });
      client.on('close', () => {
        forget();
        reject(new AdapterError('UNREACHABLE', `SSH connection to ${endpoint.host}:${endpoint.port} closed`));
      });
      // ssh2 throws here, synchronously, on a key it cannot parse.
      try {
        this.open(client, (key) => {
          presented = fingerprintOf(key);
          return presented === pinned;
        });
      } catch (e) {
        forget();
        reject(this.mapConnectError(e as Error, presented, pinned));
      }
    });
    return this.ready;
  }

  private open(client: Client, hostVerifier: (key: Buffer) => boolean): void {
    const { endpoint, config, credentials } = this.conn;
    client.connect({
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.username,
      privateKey: credentials.privateKey,
      ...(credentials.passphrase === undefined ? {} : { passphrase: credentials.passphrase }),
      readyTimeout: config.connectTimeoutMs,
      keepaliveInterval: config.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      hostVerifier,
    });
  }

  private mapConnectError(
    e: Error & { level?: string; code?: string },
    presented: string | null,
    pinned: string,
  ) {
    const { host, port, username } = this.conn.endpoint;
    const where = `${host}:${port}`;
    if (presented !== null && presented !== pinned) {
      return new AdapterError(
        'AUTH_FAILED',
        `Host key mismatch: the router host ${where} presented ${presented}, the controller's config pins ${pinned}. ` +
          'Refused: either the host was reinstalled (update hostKey in the config) or this is not the host you meant.',
        { vendorCode: 'HOST_KEY_MISMATCH' },
      );
    }
    if (e.level === 'client-authentication') {
      return new AdapterError(
        'AUTH_FAILED',
        `The router host ${where} refused the private key for user ${username} (is its public key in authorized_keys?)`,
        { vendorCode: 'AUTH_REFUSED' },
      );
    }
    if (/private key|passphrase|parse/i.test(e.message) && e.level === undefined) {
      return new AdapterError('INVALID_REQUEST', 'The private key in the credentials cannot be parsed', {
        vendorCode: 'BAD_KEY',
      });
    }
    if (e.level === 'client-timeout') {
      return new AdapterError('TIMEOUT', `SSH handshake with ${where} timed out`, {
        vendorCode: 'CONNECT_TIMEOUT',
      });
    }
    return new AdapterError('UNREACHABLE', `Cannot reach the router host ${where}: ${e.code ?? e.message}`, {
      vendorCode: e.code ?? 'SSH_ERROR',
    });
  }

  private async channel(signal: AbortSignal): Promise<() => void> {
    while (this.channels >= MAX_CHANNELS) {
      await abortable(new Promise<void>((r) => this.waiting.push(r)), signal);
    }
    this.channels++;
    return () => {
      this.channels--;
      this.waiting.shift()?.();
    };
  }

  /** Runs a shell script on the host in one exec channel; its stdin is the script. Aborting closes the channel. */
  async run(script: string, signal: AbortSignal): Promise<ExecResult> {
    const slot = await this.slot(signal);
    this.roundTrips++;
    let stream: ClientChannel | null = null;
    const done = this.exec(slot).then(
      (ch) =>
        new Promise<ExecResult>((resolve) => {
          stream = ch;
          const out: Buffer[] = [];
          const errs: Buffer[] = [];
          ch.on('data', (d: Buffer) => out.push(d));
          ch.stderr.on('data', (d: Buffer) => errs.push(d));
          ch.on('close', (code: number | null) => {
            resolve({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errs).toString(), code });
          });
          if (signal.aborted) ch.close();
          ch.end(`${PATH_LINE}${script}`);
        }),
    );
    const onAbort = () => (stream as ClientChannel | null)?.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await abortable(done, signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Runs a script that must succeed: a non-zero exit is VENDOR_ERROR with the script's own stderr. */
  async runOk(script: string, signal: AbortSignal, what: string): Promise<string> {
    return this.checked(await this.run(script, signal), signal, what);
  }

  /** The stdout of a script that succeeded; else the error that says why not. */
  checked(r: ExecResult, signal: AbortSignal, what: string): string {
    if (signal.aborted) throw abortError(signal);
    // No exit status: the channel or the connection went away mid-script (the host may have run part of it).
    if (r.code === null || r.code === undefined) {
      throw new AdapterError('UNREACHABLE', `${what}: the SSH channel closed before the script ended`, {
        vendorCode: 'CHANNEL_CLOSED',
      });
    }
    if (r.code !== 0) {
      const detail = r.stderr.trim().split('\n').slice(-5).join(' | ').slice(0, 1000);
      this.logger.warn({ what, code: r.code, stderr: detail }, 'router host script failed');
      throw new AdapterError(
        'VENDOR_ERROR',
        `${what} failed on the router host (exit ${r.code}): ${detail}`,
        {
          vendorCode: `EXIT_${r.code}`,
          vendorMessage: detail,
        },
      );
    }
    return r.stdout;
  }

  /**
   * A shell on the host for several steps (one exec channel, its PATH set); the channel's slot is given back when it
   * closes. session.ts runs the steps.
   */
  async openShell(signal: AbortSignal): Promise<{ ch: ClientChannel; countTrip: () => void }> {
    const ch = await this.exec(await this.slot(signal));
    ch.write(PATH_LINE);
    return { ch, countTrip: () => this.roundTrips++ };
  }

  /** The connection and one of its channel slots (given back by `release`), or why not. */
  private async slot(signal: AbortSignal): Promise<{ client: Client; release: () => void }> {
    throwIfAborted(signal);
    if (this.closed) throw new AdapterError('UNREACHABLE', 'The element was closed');
    const client = await abortable(this.connect(), signal);
    const release = await this.channel(signal);
    return { client, release };
  }

  /** Opens the host's shell (under sudo when configured) in the slot, which is given back when the channel closes. */
  private exec({ client, release }: { client: Client; release: () => void }): Promise<ClientChannel> {
    const command = this.conn.config.sudo ? 'sudo -n /bin/sh -s' : '/bin/sh -s';
    return new Promise<ClientChannel>((resolve, reject) => {
      client.exec(command, (err, ch) => {
        if (err) {
          release();
          reject(
            new AdapterError('UNREACHABLE', `SSH exec refused: ${err.message}`, {
              vendorCode: 'EXEC_REFUSED',
            }),
          );
          return;
        }
        ch.once('close', release);
        resolve(ch);
      });
    });
  }

  close(): void {
    this.closed = true;
    this.client?.end();
    this.client = null;
    this.ready = null;
  }
}
