// Envelope encryption of one value: a fresh data key per value, wrapped by a master key, both bound to the row id.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '@netplane/domain';

const FORMAT = 'np1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type Sealed = { ciphertext: string; keyId: string };

const b64 = (b: Buffer) => b.toString('base64url');

/** The same sentence for every failure: nothing in it depends on the plaintext or the keys. */
export function unreadable(reason: string, rowId: string): AppError {
  return new AppError('SECRET_UNREADABLE', `Stored credentials of ${rowId} cannot be decrypted: ${reason}`, {
    rowId,
  });
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): { nonce: Buffer; body: Buffer } {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, body };
}

function open(key: Buffer, nonce: Buffer, body: Buffer, aad: Buffer): Buffer {
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) throw new Error('malformed');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
}

// The key id is inside the wrapping AAD too, so a ciphertext relabelled with another key id fails.
const wrapAad = (rowId: string, keyId: string) => Buffer.from(`netplane:dek:${keyId}:${rowId}`, 'utf8');
const dataAad = (rowId: string) => Buffer.from(`netplane:data:${rowId}`, 'utf8');

/** Format: np1.<keyId>.<wrapNonce>.<wrappedKey+tag>.<nonce>.<ciphertext+tag>, each part base64url. */
export function encryptEnvelope(
  master: { id: string; key: Buffer },
  plaintext: string,
  rowId: string,
): Sealed {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const data = seal(dataKey, Buffer.from(plaintext, 'utf8'), dataAad(rowId));
    const wrapped = seal(master.key, dataKey, wrapAad(rowId, master.id));
    const parts = [FORMAT, master.id, b64(wrapped.nonce), b64(wrapped.body), b64(data.nonce), b64(data.body)];
    return { ciphertext: parts.join('.'), keyId: master.id };
  } finally {
    dataKey.fill(0);
  }
}

export type ParsedEnvelope = { keyId: string; parts: Buffer[] };

export function parseEnvelope(ciphertext: string, rowId: string): ParsedEnvelope {
  const parts = ciphertext.split('.');
  const [format, keyId, ...rest] = parts;
  if (parts.length !== 6 || format !== FORMAT || keyId === undefined || !KEY_ID_PATTERN.test(keyId)) {
    throw unreadable('the stored value is not a Netplane envelope', rowId);
  }
  return { keyId, parts: rest.map((p) => Buffer.from(p, 'base64url')) };
}

export function decryptEnvelope(parsed: ParsedEnvelope, masterKey: Buffer, rowId: string): string {
  const [wrapNonce, wrappedKey, nonce, body] = parsed.parts;
  if (!wrapNonce || !wrappedKey || !nonce || !body) throw unreadable('the envelope is incomplete', rowId);
  let dataKey: Buffer | undefined;
  try {
    dataKey = open(masterKey, wrapNonce, wrappedKey, wrapAad(rowId, parsed.keyId));
    if (dataKey.length !== KEY_BYTES) throw new Error('bad data key');
    return open(dataKey, nonce, body, dataAad(rowId)).toString('utf8');
  } catch {
    // No cause attached: node's error text is harmless, but nothing from the crypto layer needs to travel.
    throw unreadable('authentication failed (tampered, copied from another row, or wrong key)', rowId);
  } finally {
    dataKey?.fill(0);
  }
}
