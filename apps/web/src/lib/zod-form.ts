// Validates a form value with a domain zod schema (the server's own) and returns field errors keyed by path.
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

export function check<S extends z.ZodType>(schema: S, value: unknown): Checked<z.output<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    // The first problem per field is the one to fix first.
    if (!(key in errors)) errors[key] = issue.message;
  }
  return { ok: false, errors };
}

/** The first error at a path or below it (e.g. "vlanRanges" also matches "vlanRanges.1"). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const nested = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return nested ? errors[nested] : undefined;
}
