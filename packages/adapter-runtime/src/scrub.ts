// Credential values scrubbed out of what an adapter process says on its own: its stderr lines, its `log`
// notifications, the lines a protocol violation quotes and the errors it answers. The server's logger redacts fields
// by name, not text, so without this a password an adapter prints would reach the log as message text. The host
// knows each value because it sent it in element.open; it also scrubs their base64 forms (and user:password's, as in
// an HTTP Basic header), which an adapter logging a request would print.

export const REDACTED = '[REDACTED]';
/** Shorter values are not scrubbed: replacing every "ab" in a log line would garble it and hide nothing real. */
const MIN_SECRET = 4;

export class SecretScrubber {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;

  /** Learns the values of one connection's credentials (kept for the process's life: a late line may quote them). */
  add(credentials: Record<string, unknown> | undefined): void {
    if (!credentials) return;
    const values = Object.values(credentials).filter((v): v is string => typeof v === 'string');
    const user = credentials.username ?? credentials.user;
    const forms = [...values];
    for (const v of values) forms.push(...base64Forms(v));
    if (typeof user === 'string' && typeof credentials.password === 'string')
      forms.push(...base64Forms(`${user}:${credentials.password}`));
    const before = this.secrets.size;
    for (const f of forms) if (f.length >= MIN_SECRET) this.secrets.add(f);
    if (this.secrets.size !== before) this.pattern = null;
  }

  scrub(text: string): string {
    if (this.secrets.size === 0) return text;
    // Longest first, so a value that contains another is replaced whole.
    this.pattern ??= new RegExp(
      [...this.secrets]
        .sort((a, b) => b.length - a.length)
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, REDACTED);
  }

  /** A copy of a JSON value with every string (keys too) scrubbed. */
  scrubDeep(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.scrub(value);
    if (depth > 20 || typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((v) => this.scrubDeep(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[this.scrub(k)] = this.scrubDeep(v, depth + 1);
    return out;
  }
}

function base64Forms(v: string): string[] {
  const b64 = Buffer.from(v, 'utf8').toString('base64');
  const url = Buffer.from(v, 'utf8').toString('base64url');
  return [b64, b64.replace(/=+$/, ''), url];
}
