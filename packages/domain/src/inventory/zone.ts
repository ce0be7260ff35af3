// Zones: the top of the inventory; a zone holds physical networks.
import { z } from 'zod';
import { ENABLE_STATES } from '../vocabulary';
import { descriptionSchema, idSchema, nameSchema, timestampsShape, versionSchema } from './common';

export const enableStateSchema = z.enum(ENABLE_STATES);

/**
 * The resolvers a zone's guests are told about by DHCP (CloudStack's dns1/dns2), when the zone is created without
 * its own: public resolvers, so a new zone's guests resolve names out of the box; set the site's own for production.
 */
export const DEFAULT_ZONE_DNS_SERVERS = ['8.8.8.8', '8.8.4.4'];

const ipv4Schema = z.ipv4({ message: 'must be an IPv4 address' });
/** One to four resolvers, in the order guests should try them (DHCP option 6 carries a list). */
export const dnsServerListSchema = z
  .array(ipv4Schema)
  .min(1, 'at least one DNS server')
  .max(4, 'at most four DNS servers')
  .refine((l) => new Set(l).size === l.length, 'a DNS server is listed twice');
/** The guests' search domain (DHCP option 15): a DNS name, lower case, labels of letters, digits and dashes. */
export const dnsDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'must be a DNS domain name such as cloud.example.org',
  );

export const zoneSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string(),
  state: enableStateSchema,
  /** DNS servers DHCP hands to the guests of every tier in the zone. */
  dnsServers: z.array(z.string()),
  /** Search domain DHCP hands out, or null for none. */
  dnsDomain: z.string().nullable(),
  ...timestampsShape,
});
export type Zone = z.infer<typeof zoneSchema>;

export const zoneCreateInput = z.object({
  name: nameSchema,
  description: descriptionSchema.default(''),
  state: enableStateSchema.default('Enabled'),
  dnsServers: dnsServerListSchema.default(DEFAULT_ZONE_DNS_SERVERS),
  dnsDomain: dnsDomainSchema.nullable().default(null),
});
export type ZoneCreateInput = z.infer<typeof zoneCreateInput>;

export const zoneUpdateInput = z.object({
  id: idSchema,
  /** The version the caller read; a stale update is refused instead of silently overwriting. */
  version: versionSchema.optional(),
  name: nameSchema.optional(),
  description: descriptionSchema.optional(),
  state: enableStateSchema.optional(),
  dnsServers: dnsServerListSchema.optional(),
  /** null clears the search domain. */
  dnsDomain: dnsDomainSchema.nullable().optional(),
});
export type ZoneUpdateInput = z.infer<typeof zoneUpdateInput>;
