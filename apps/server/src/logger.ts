// Structured logs (pino) with secret-looking fields redacted wherever they appear in a log object: JSON lines for
// machines (files, journald, log shippers), or human-readable lines (pino-pretty) on a terminal.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

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

export type LogFormat = 'pretty' | 'json';

/**
 * Logs to stdout, or to `destination` (a test's stream). `pretty` formats each line for people (time, level, message,
 * then the fields) after redaction: pino redacts while serialising, before any stream sees the line.
 */
export function createLogger(
  opts: { level: string; nodeId: string; format?: LogFormat },
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    level: opts.level,
    base: { node: opts.nodeId },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (opts.format === 'pretty')
    return pino(
      options,
      pretty({
        colorize: destination === undefined && process.stdout.isTTY === true,
        translateTime: 'SYS:HH:MM:ss.l',
        // One line per event; the node id is the same on every line of a terminal (JSON lines keep it).
        ignore: 'pid,hostname,node',
        singleLine: true,
        sync: true,
        ...(destination ? { destination } : {}),
      }),
    );
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
