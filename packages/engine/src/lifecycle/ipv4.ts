// IPv4 CIDR arithmetic for tiers and NICs: parse, contain, overlap, and the host at an index.
import { AppError } from '@netplane/domain';

export type Cidr = { base: number; prefix: number; size: number; text: string };

const toInt = (ip: string): number | null => {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
};

const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function parseCidr(text: string): Cidr {
  const [ip, len] = text.trim().split('/');
  const base = ip === undefined ? null : toInt(ip);
  const prefix = Number(len);
  if (base === null || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) {
    throw new AppError('BAD_INPUT', `${text} is not an IPv4 CIDR between /8 and /30`);
  }
  const size = 2 ** (32 - prefix);
  if (base % size !== 0)
    throw new AppError('BAD_INPUT', `${text} is not aligned: its host bits must be zero`);
  return { base, prefix, size, text: `${intToIp(base)}/${prefix}` };
}

export const cidrContains = (outer: Cidr, inner: Cidr): boolean =>
  inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;

export const cidrsOverlap = (a: Cidr, b: Cidr): boolean =>
  a.base < b.base + b.size && b.base < a.base + a.size;

/** Host index i (1 = first usable). Index 1 is the gateway; NICs get 2..size-2. */
export const hostAt = (c: Cidr, index: number): string => intToIp(c.base + index);

export function indexOf(c: Cidr, ip: string): number {
  const n = toInt(ip);
  if (n === null || n <= c.base || n >= c.base + c.size - 1) {
    throw new AppError('BAD_INPUT', `${ip} is not a host address of ${c.text}`);
  }
  return n - c.base;
}
