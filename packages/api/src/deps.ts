// What the API needs from the running server, injected so tests can build it without HTTP.
import type { AdapterModule } from '@netplane/adapter-sdk';
import type { DbHandle } from '@netplane/db';

export type ApiLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

/** Registered adapters with their load status, as the server found them at start. */
export type AdapterRegistration =
  | { id: string; status: 'Fully Loaded'; module: AdapterModule }
  | { id: string; status: 'Unable to load'; reason: string };

export type ApiDeps = {
  db: DbHandle;
  logger: ApiLogger;
  adapters: readonly AdapterRegistration[];
  /** Encrypts and decrypts controller credentials bound to a row id (see @netplane/secrets). */
  secrets: {
    encrypt(plaintext: string, rowId: string): { ciphertext: string; keyId: string };
    decrypt(ciphertext: string, rowId: string): string;
  };
  now(): number;
};
