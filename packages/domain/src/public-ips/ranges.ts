// Public IP ranges of a zone's Public traffic (CloudStack's createVlanIpRange): a CIDR, its gateway, a VLAN id or
// untagged, and optionally the first and last address handed out. Pure: parsing, validation, overlap and usable hosts.
import { z } from 'zod';
import { idSchema, timestampsShape } from '../inventory/common';
import { pageOutput } from '../pagination/page';

/** Ranges larger than a /16 would make the acquire scan and the console bar meaningless; CloudStack warns too. */
export const MIN_PUBLIC_PREFIX = 16;
export const MAX_PUBLIC_PREFIX = 30;

export const ipv4ToInt = (ip: string): number | null => {
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

export const intToIpv4 = (n: number): string =>
  [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export type ParsedCidr = { base: number; prefix: number; size: number; text: string };

/** null when the text is not an aligned IPv4 CIDR. */
export function parseIpv4Cidr(text: string): ParsedCidr | null {
  const [ip, len, extra] = text.trim().split('/');
  if (ip === undefined || len === undefined || extra !== undefined || !/^\d{1,2}$/.test(len)) return null;
  const base = ipv4ToInt(ip);
  const prefix = Number(len);
  if (base === null || prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return null;
  return { base, prefix, size, text: `${intToIpv4(base)}/${prefix}` };
}

/** The addresses a range hands out, as numbers: [first, last], the gateway excluded at allocation. */
export type AddressSpan = { first: number; last: number; gateway: number };

export const publicIpRangeCreateInput = z
  .object({
    zoneId: idSchema,
    /** The physical network carrying the zone's Public traffic; the only such network of the zone when absent. */
    physicalNetworkId: idSchema.optional(),
    cidr: z.string().trim().min(9).max(18),
    gateway: z.ipv4(),
    /** 802.1Q tag of the public segment; null (or absent) is untagged, CloudStack's vlan://untagged. */
    vlan: z.number().int().min(1).max(4094).nullable().default(null),
    startIp: z.ipv4().optional(),
    endIp: z.ipv4().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const c = parseIpv4Cidr(v.cidr);
    if (!c) {
      ctx.addIssue({
        code: 'custom',
        path: ['cidr'],
        message: 'not an aligned IPv4 CIDR like 203.0.113.0/24',
      });
      return;
    }
    if (c.prefix < MIN_PUBLIC_PREFIX || c.prefix > MAX_PUBLIC_PREFIX) {
      ctx.addIssue({
        code: 'custom',
        path: ['cidr'],
        message: `prefix must be /${MIN_PUBLIC_PREFIX} to /${MAX_PUBLIC_PREFIX}`,
      });
      return;
    }
    const inHosts = (n: number | null) => n !== null && n > c.base && n < c.base + c.size - 1;
    const gw = ipv4ToInt(v.gateway);
    if (!inHosts(gw)) ctx.addIssue({ code: 'custom', path: ['gateway'], message: `not a host of ${c.text}` });
    const start = v.startIp === undefined ? null : ipv4ToInt(v.startIp);
    const end = v.endIp === undefined ? null : ipv4ToInt(v.endIp);
    if (v.startIp !== undefined && !inHosts(start))
      ctx.addIssue({ code: 'custom', path: ['startIp'], message: `not a host of ${c.text}` });
    if (v.endIp !== undefined && !inHosts(end))
      ctx.addIssue({ code: 'custom', path: ['endIp'], message: `not a host of ${c.text}` });
    if (start !== null && end !== null && start > end)
      ctx.addIssue({ code: 'custom', path: ['endIp'], message: 'comes before startIp' });
    const span = spanOf({ cidr: v.cidr, gateway: v.gateway, startIp: v.startIp, endIp: v.endIp });
    if (span && usableCount(span) === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['startIp'],
        message: 'the range has no address besides the gateway',
      });
  });
export type PublicIpRangeCreateInput = z.infer<typeof publicIpRangeCreateInput>;

/** First and last address handed out: startIp/endIp, or every host of the CIDR. */
export function spanOf(r: { cidr: string; gateway: string; startIp?: string | null; endIp?: string | null }) {
  const c = parseIpv4Cidr(r.cidr);
  const gateway = ipv4ToInt(r.gateway);
  if (!c || gateway === null) return null;
  const first = r.startIp ? (ipv4ToInt(r.startIp) ?? c.base + 1) : c.base + 1;
  const last = r.endIp ? (ipv4ToInt(r.endIp) ?? c.base + c.size - 2) : c.base + c.size - 2;
  return { first, last, gateway } satisfies AddressSpan;
}

/** Addresses an acquire can hand out: the span without the gateway. */
export const usableCount = (s: AddressSpan): number =>
  s.last - s.first + 1 - (s.gateway >= s.first && s.gateway <= s.last ? 1 : 0);

export type RangeForOverlap = {
  id: string;
  cidr: string;
  gateway: string;
  vlan: number | null;
  startIp: string | null;
  endIp: string | null;
};

/**
 * Why a new range cannot live beside an existing one of the zone, or null: their handed-out addresses intersect,
 * or the same subnet is declared on another VLAN or with another gateway (one subnet is one segment).
 */
export function rangeOverlap(a: Omit<RangeForOverlap, 'id'>, b: RangeForOverlap): string | null {
  const ca = parseIpv4Cidr(a.cidr);
  const cb = parseIpv4Cidr(b.cidr);
  const sa = spanOf(a);
  const sb = spanOf(b);
  if (!ca || !cb || !sa || !sb) return null;
  const label = `${b.cidr} (${b.startIp && b.endIp ? `${b.startIp}-${b.endIp}` : 'whole CIDR'}, ${vlanLabel(b.vlan)})`;
  if (sa.first <= sb.last && sb.first <= sa.last) return `its addresses overlap range ${label}`;
  const subnetsOverlap = ca.base < cb.base + cb.size && cb.base < ca.base + ca.size;
  if (subnetsOverlap && (a.vlan !== b.vlan || a.gateway !== b.gateway))
    return `its subnet overlaps range ${label} on another VLAN or gateway`;
  return null;
}

export const vlanLabel = (vlan: number | null): string => (vlan === null ? 'untagged' : `VLAN ${vlan}`);

export const publicIpRangeSchema = z.object({
  id: idSchema,
  zoneId: idSchema,
  physicalNetworkId: idSchema,
  cidr: z.string(),
  gateway: z.string(),
  vlan: z.number().int().nullable(),
  startIp: z.string(),
  endIp: z.string(),
  /** Addresses an acquire can hand out (the gateway excluded). */
  size: z.number().int().min(0),
  /** Addresses acquired now. */
  used: z.number().int().min(0),
  ...timestampsShape,
});
export type PublicIpRange = z.infer<typeof publicIpRangeSchema>;

export const PUBLIC_IP_PURPOSES = ['SourceNat', 'User'] as const;
export type PublicIpPurpose = (typeof PUBLIC_IP_PURPOSES)[number];

export const publicIpSchemaView = z.object({
  id: idSchema,
  zoneId: idSchema,
  rangeId: idSchema,
  vpcId: idSchema,
  address: z.string(),
  gateway: z.string(),
  vlan: z.number().int().nullable(),
  /** SourceNat: the VPC's own address, acquired at implement and released at destroy; User: publicIps.acquire. */
  purpose: z.enum(PUBLIC_IP_PURPOSES),
  acquiredBy: z.string(),
  acquiredAt: z.number().int(),
});
export type PublicIpView = z.infer<typeof publicIpSchemaView>;

export const publicIpPage = pageOutput(publicIpSchemaView);
