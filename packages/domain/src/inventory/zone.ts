// Zones: the top of the inventory; a zone holds physical networks.
import { z } from 'zod';
import { ENABLE_STATES } from '../vocabulary';
import { descriptionSchema, idSchema, nameSchema, timestampsShape, versionSchema } from './common';

export const enableStateSchema = z.enum(ENABLE_STATES);

export const zoneSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string(),
  state: enableStateSchema,
  ...timestampsShape,
});
export type Zone = z.infer<typeof zoneSchema>;

export const zoneCreateInput = z.object({
  name: nameSchema,
  description: descriptionSchema.default(''),
  state: enableStateSchema.default('Enabled'),
});
export type ZoneCreateInput = z.infer<typeof zoneCreateInput>;

export const zoneUpdateInput = z.object({
  id: idSchema,
  /** The version the caller read; a stale update is refused instead of silently overwriting. */
  version: versionSchema.optional(),
  name: nameSchema.optional(),
  description: descriptionSchema.optional(),
  state: enableStateSchema.optional(),
});
export type ZoneUpdateInput = z.infer<typeof zoneUpdateInput>;
