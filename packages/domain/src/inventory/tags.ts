// Tag (label) matching, shared by the capability matrix, offering validation and the engine's negotiation.
import { z } from 'zod';

/** Tags are compared case-insensitively and without surrounding spaces; they are stored as entered. */
export const normalizeTag = (tag: string): string => tag.trim().toLowerCase();

export const tagSchema = z.string().trim().min(1).max(64);

/** A list of tags, unique case-insensitively (the first spelling wins). */
export const tagListSchema = z
  .array(tagSchema)
  .max(32)
  .transform((tags) => {
    const seen = new Set<string>();
    return tags.filter((t) => {
      const n = normalizeTag(t);
      if (seen.has(n)) return false;
      seen.add(n);
      return true;
    });
  });

/** The required tags that `carried` lacks (compared case-insensitively), in the order required. */
export function missingTags(carried: readonly string[], required: readonly string[]): string[] {
  const have = new Set(carried.map(normalizeTag));
  return required.filter((t) => !have.has(normalizeTag(t)));
}

/** True when a physical network carrying `carried` may serve something that requires `required`. */
export function tagsSatisfy(carried: readonly string[], required: readonly string[]): boolean {
  return missingTags(carried, required).length === 0;
}
