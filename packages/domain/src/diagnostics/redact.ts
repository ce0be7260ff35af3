// The shared redactor for audit rows, logs and support bundles: secret-looking keys, and secrets inside strings.
import { API_TOKEN_IN_TEXT } from '../auth/api-tokens';

const SECRET_KEY =
  /pass(word|phrase)?|secret|token|credential|private|api[-_]?key|ciphertext|authorization|cookie/i;
const REDACTED = '[redacted]';
// Look like secrets by name but are not, and support needs them (fencing tokens prove who called when; an audit row's
// actor_token_id says which API token made a change; a rule's private IP and ports are the NIC's address, not a
// private key).
const SAFE_KEYS = new Set([
  'fencing_token',
  'fencingToken',
  'token_count',
  // The id of the API token behind an audit row (migration 016): a row id, never the token.
  'actor_token_id',
  'actorTokenId',
  'privateIp',
  'private_ip',
  'privatePort',
  'private_port',
  'privatePortStart',
  'privatePortEnd',
  'private_port_start',
  'private_port_end',
]);

// Secrets that hide inside otherwise harmless strings (an error message, an endpoint, a vendor answer).
const STRING_PATTERNS: readonly RegExp[] = [
  /\bnp1\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){4}/g, // our envelope ciphertext (see @netplane/secrets)
  /(?<=\/\/)[^/\s:@]+:[^/\s@]+(?=@)/g, // user:password@ in URLs
  /(?<=\b(?:pass(?:word)?|secret|token|api[-_]?key)\s*[=:]\s*)[^\s,;&"']+/gi, // password=..., token: ...
  /(?<=\bBearer\s+)[A-Za-z0-9._~+/=-]+/g,
  API_TOKEN_IN_TEXT, // an API token pasted anywhere (a description, an echoed header)
];

export function redactString(value: string, known: readonly string[] = []): string {
  let out = value;
  for (const secret of known) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  for (const pattern of STRING_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

export const isSecretKey = (key: string): boolean => !SAFE_KEYS.has(key) && SECRET_KEY.test(key);

/**
 * Deep copy with every secret-looking field replaced and secrets scrubbed from strings. `known` lists exact secret
 * values (e.g. a canary) to remove wherever they appear. JSON strings are not parsed: callers redact before stringify.
 */
export function redactDeep(value: unknown, known: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactString(value, known);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, known));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isSecretKey(k) ? REDACTED : redactDeep(v, known)]),
    );
  }
  return value;
}
