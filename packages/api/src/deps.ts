// What the API needs from the running server, injected so tests can build it without HTTP.
// Other areas add OPTIONAL fields here (so every existing test fixture keeps compiling).
import type { AdapterModule, AdapterReloadResult, AdapterRuntimeInfo } from '@netplane/adapter-sdk';
import type { DbHandle } from '@netplane/db';
import type { Engine } from '@netplane/engine';

export type ApiLogger = {
  /** Adapters' debug lines (toAdapterLogger); a logger without it drops them. */
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

/**
 * Where an adapter came from: `source` is 'built-in' or the installed directory/package; `sdkRange` the adapter-sdk
 * range an installed one declares (built-ins are compiled with the server's SDK: null).
 */
export type AdapterOrigin = { source?: string; sdkRange?: string | null };

/** Registered adapters with their load status, as the server found them at start. */
export type AdapterRegistration =
  | ({
      id: string;
      status: 'Fully Loaded';
      module: AdapterModule;
      /** How it runs now (absent: in process). */
      runtime?: () => AdapterRuntimeInfo;
      /** Present for adapters that can be reloaded without a restart (out-of-process ones). */
      reload?: () => Promise<AdapterReloadResult>;
    } & AdapterOrigin)
  | ({ id: string; status: 'Unable to load'; reason: string; version?: string } & AdapterOrigin);

/** Login throttling; the server shares it across nodes through MySQL, tests and SQLite use memory. */
export type LoginLimiter = {
  /** Seconds to wait before another attempt for this ip+username (0 when allowed). */
  secondsBlocked(ip: string, username: string): Promise<number>;
  recordFailure(ip: string, username: string): Promise<void>;
  recordSuccess(ip: string, username: string): Promise<void>;
};

/** API token throttling (services/token-limits.ts): refused tokens per ip, shared like the login counters; requests
 * per token, counted by each node in memory (a write per request would cost more than the request). */
export type TokenLimiter = {
  /** Seconds this ip must wait after too many refused tokens (0 when allowed). */
  secondsBlocked(ip: string): Promise<number>;
  recordFailure(ip: string): Promise<void>;
  /** Counts one request of this token: seconds to wait when it is over its rate (0 when allowed). */
  consumeRequest(tokenId: string): Promise<number>;
};

export type SessionPolicy = {
  /** A session unused for this long ends (sliding). */
  idleMs: number;
  /** A session ends this long after login whatever its use. */
  absoluteMs: number;
};

export type ApiDeps = {
  db: DbHandle;
  logger: ApiLogger;
  adapters: readonly AdapterRegistration[];
  /** Encrypts and decrypts controller credentials bound to a row id (see @netplane/secrets). */
  secrets: {
    encrypt(plaintext: string, rowId: string): { ciphertext: string; keyId: string };
    decrypt(ciphertext: string, rowId: string): string;
    /** The key ids held (a Keyring has them); without them credentials health reports every row as readable. */
    readonly keyIds?: readonly string[];
    /** Re-reads the key source, so a restored key file is seen before reporting keys as missing. */
    reload?(): void;
  };
  now(): number;
  /**
   * The engine the procedures call, built by the server from these same parts (db, logger, adapters, secrets, now)
   * and shared with its workers; the server starts and stops it.
   */
  engine: Engine;
  /** Optional: defaults to a per-process memory limiter (see services/auth-rate-limit.ts). */
  loginLimiter?: LoginLimiter;
  /** Optional: defaults to a per-process memory limiter (see services/token-limits.ts). */
  tokenLimiter?: TokenLimiter;
  /** Optional: defaults to 30 min idle, 12 h absolute. */
  sessionPolicy?: SessionPolicy;
};
