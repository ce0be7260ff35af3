// The logger an adapter is handed (AdapterEnv.logger), made from the host's: every line names the adapter and the
// controller it is about, and debug reaches the host's debug when it has one (pino at LOG_LEVEL=debug), else nothing.
import type { AdapterLogger } from './element';

/** The host's logger; `debug` is optional so that a host without one (a test) still fits. */
export type HostLogger = {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export function toAdapterLogger(host: HostLogger, fields: Record<string, unknown>): AdapterLogger {
  const level =
    (write: ((obj: object, msg?: string) => void) | undefined) =>
    (obj: object, msg?: string): void =>
      write?.call(host, { ...fields, ...obj }, msg);
  return {
    debug: level(host.debug),
    info: level(host.info),
    warn: level(host.warn),
    error: level(host.error),
  };
}
