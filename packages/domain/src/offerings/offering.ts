// Network and VPC offerings: guest type, service → provider (adapter id) map, required tags and capabilities.
import { z } from 'zod';
import { serviceCapabilitiesSchema } from '../inventory/capability-values';
import { descriptionSchema, idSchema, nameSchema, timestampsShape } from '../inventory/common';
import { tagListSchema } from '../inventory/tags';
import {
  ENABLE_STATES,
  GUEST_TYPES,
  ISOLATION_METHODS,
  isolationMethodSchema,
  SERVICES,
} from '../vocabulary';

export const OFFERING_KINDS = ['network', 'vpc'] as const;
export type OfferingKind = (typeof OFFERING_KINDS)[number];

const serviceProvidersSchema = z.partialRecord(z.enum(SERVICES), z.string().trim().min(1).max(64));

export const offeringDraftSchema = z
  .object({
    name: nameSchema,
    description: descriptionSchema.default(''),
    kind: z.enum(OFFERING_KINDS),
    guestType: z.enum(GUEST_TYPES).default('Isolated'),
    /** Which adapter (by id) gives each service; the engine picks a provider of that adapter at negotiation. */
    serviceProviders: serviceProvidersSchema,
    /** Tags every chosen provider's physical network must carry (case-insensitive). */
    tags: tagListSchema.default([]),
    isolationMethod: isolationMethodSchema.default('VLAN'),
    /** e.g. { Lb: { SupportedLbAlgorithms: ['leastconn'] } }: values the chosen provider must offer. */
    requiredCapabilities: serviceCapabilitiesSchema.default({}),
  })
  .superRefine((o, ctx) => {
    for (const service of Object.keys(o.requiredCapabilities)) {
      if (!(service in o.serviceProviders)) {
        ctx.addIssue({
          code: 'custom',
          path: ['requiredCapabilities', service],
          message: `${service} has required capabilities but is not part of the offering`,
        });
      }
    }
    if (o.kind === 'vpc' && o.guestType !== 'Isolated') {
      ctx.addIssue({ code: 'custom', path: ['guestType'], message: 'A VPC offering is for Isolated tiers' });
    }
  });
export type OfferingDraft = z.infer<typeof offeringDraftSchema>;

export const offeringSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string(),
  kind: z.enum(OFFERING_KINDS),
  guestType: z.enum(GUEST_TYPES),
  serviceProviders: z.partialRecord(z.enum(SERVICES), z.string()),
  tags: z.array(z.string()),
  isolationMethod: z.enum(ISOLATION_METHODS),
  requiredCapabilities: serviceCapabilitiesSchema,
  state: z.enum(ENABLE_STATES),
  ...timestampsShape,
});
export type Offering = z.infer<typeof offeringSchema>;

export const offeringListInput = z.object({ kind: z.enum(OFFERING_KINDS).optional() }).default({});
