// Builds ApiDeps in one function: database, logger, adapters, keyring, login and API token limiters and the engine built from them.
// New dependencies go here.
import type { AdapterRegistration, ApiDeps, LoginLimiter, TokenLimiter } from '@netplane/api';
import type { DbHandle } from '@netplane/db';
import { Engine, type EngineOptions } from '@netplane/engine';
import type { Keyring } from '@netplane/secrets';
import type { Logger } from './logger';

export function buildApiDeps(parts: {
  db: DbHandle;
  logger: Logger;
  adapters: readonly AdapterRegistration[];
  keyring: Keyring;
  loginLimiter: LoginLimiter;
  tokenLimiter?: TokenLimiter;
  /** This node's engine options (env); the engine is created here and started by engine-hook.ts. */
  engineOptions: Partial<EngineOptions>;
}): ApiDeps {
  const log = parts.logger.child({ component: 'api' });
  const core = {
    db: parts.db,
    logger: {
      // Adapters' debug lines (toAdapterLogger) come through here; pino drops them below LOG_LEVEL=debug.
      debug: (obj: object, msg?: string) => log.debug(obj, msg),
      info: (obj: object, msg?: string) => log.info(obj, msg),
      warn: (obj: object, msg?: string) => log.warn(obj, msg),
      error: (obj: object, msg?: string) => log.error(obj, msg),
    },
    adapters: parts.adapters,
    secrets: parts.keyring,
    now: () => Date.now(),
  };
  return {
    ...core,
    // One engine for the API's procedures and this node's workers.
    engine: new Engine(core, parts.engineOptions),
    loginLimiter: parts.loginLimiter,
    ...(parts.tokenLimiter ? { tokenLimiter: parts.tokenLimiter } : {}),
  };
}
