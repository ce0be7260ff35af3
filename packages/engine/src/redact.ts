// Redaction for call summaries and log lines: any secret-looking key is replaced; long strings are cut.
const SECRET_KEY = /pass(word)?|secret|token|credential|private|api[-_]?key|ciphertext|authorization|cookie/i;
/** A rule's private IP and ports are a NIC's address, not a private key. */
const SAFE_KEYS = new Set(['privateIp', 'privatePort', 'privatePortStart', 'privatePortEnd', 'privatePorts']);

function redactSummary(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) {
    const head = value.slice(0, 20).map((v) => redactSummary(v, depth + 1));
    return value.length > 20 ? [...head, `… ${value.length - 20} more`] : head;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && !SAFE_KEYS.has(k) ? '[redacted]' : redactSummary(v, depth + 1),
      ]),
    );
  }
  if (typeof value === 'string' && value.length > 500) return `${value.slice(0, 500)}…`;
  return value;
}

export const summaryJson = (value: unknown): string => JSON.stringify(redactSummary(value) ?? null);
