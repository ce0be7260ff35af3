// Small schemas every inventory entity shares: ids, names, timestamps, the compare-and-set version.
import { z } from 'zod';

export const idSchema = z.string().min(1).max(64);
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20), 'must not contain control characters');
export const descriptionSchema = z.string().trim().max(1024);
export const versionSchema = z.number().int().min(1);
export const timestampsShape = {
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: versionSchema,
};
export const idInput = z.object({ id: idSchema });
