// Shared shapes of master keys; a KeyringError is a configuration problem found at start or rotation.
export type MasterKey = { id: string; key: Buffer };
export type KeySet = { activeId: string; keys: MasterKey[] };

export class KeyringError extends Error {
  override readonly name = 'KeyringError';
  /** What the operator should do, when there is one clear step (printed by the server after the message). */
  readonly fix: string | undefined;
  constructor(message: string, fix?: string) {
    super(message);
    this.fix = fix;
  }
}
