// Every mutation calls recordAudit. Values are passed through redact() first, so a credential can never be stored.
import { auditRepo } from '@netplane/db';
import type { Context } from '../context';

const SECRET_KEY = /pass(word)?|secret|token|credential|private|api[-_]?key|ciphertext/i;
/** A rule's private IP and port are a NIC's address, not a private key. */
const SAFE_KEYS = new Set(['privateIp', 'privatePort', 'privatePortStart', 'privatePortEnd']);

/** Deep copy with every secret-looking field replaced; used for audit rows, logs and support bundles. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && !SAFE_KEYS.has(k) ? '[redacted]' : redact(v),
      ]),
    );
  }
  return value;
}

export async function recordAudit(
  ctx: Pick<Context, 'db' | 'user' | 'deps'> & Partial<Pick<Context, 'apiToken'>>,
  action: string,
  target: { type: string; id: string | null },
  before: unknown,
  after: unknown,
): Promise<void> {
  await auditRepo.insertAudit(
    ctx.db,
    {
      actorId: ctx.user?.id ?? null,
      actorName: ctx.user?.username ?? 'system',
      actorTokenId: ctx.apiToken?.id ?? null,
      action,
      targetType: target.type,
      targetId: target.id,
      before: redact(before),
      after: redact(after),
    },
    ctx.deps.now(),
  );
}
