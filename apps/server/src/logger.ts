// Structured logs (pino) with secret-looking fields redacted wherever they appear in a log object.
import pino, { type Logger } from 'pino';

const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'credentials',
  'token',
  'csrfToken',
  'secret',
  'masterKey',
  'ciphertext',
  'authorization',
  'cookie',
];

/** Paths for pino's redact: the keys at the top and up to two levels down, plus HTTP headers. */
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["x-csrf-token"]',
];

/** Logs to stdout, or to `destination` (a test's stream). */
export function createLogger(
  opts: { level: string; nodeId: string },
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    level: opts.level,
    base: { node: opts.nodeId },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
