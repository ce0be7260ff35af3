// Builds ApiDeps in one function: database, logger, adapters, keyring, login limiter. New dependencies go here.
import { defaultSimulatorHub } from '@netplane/adapter-simulator';
import type { AdapterRegistration, ApiDeps, LoginLimiter } from '@netplane/api';
import type { DbHandle } from '@netplane/db';
import type { Keyring } from '@netplane/secrets';
import type { Logger } from './logger';

export function buildApiDeps(parts: {
  db: DbHandle;
  logger: Logger;
  adapters: readonly AdapterRegistration[];
  keyring: Keyring;
  loginLimiter: LoginLimiter;
}): ApiDeps {
  const log = parts.logger.child({ component: 'api' });
  return {
    db: parts.db,
    logger: {
      // Adapters' debug lines (toAdapterLogger) come through here; pino drops them below LOG_LEVEL=debug.
      debug: (obj, msg) => log.debug(obj, msg),
      info: (obj, msg) => log.info(obj, msg),
      warn: (obj, msg) => log.warn(obj, msg),
      error: (obj, msg) => log.error(obj, msg),
    },
    adapters: parts.adapters,
    secrets: parts.keyring,
    now: () => Date.now(),
    loginLimiter: parts.loginLimiter,
    // The hub of the simulator adapter's default export (sim:// controllers), scripted through the simulator router.
    simulator: defaultSimulatorHub,
  };
}
