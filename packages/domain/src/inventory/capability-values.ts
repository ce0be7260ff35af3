// Capability values of a service (e.g. Lb.SupportedLbAlgorithms) and the rules for narrowing and requiring them.
import { z } from 'zod';
import { SERVICES, type Service } from '../vocabulary';

export type CapabilityValue = string | boolean | number | string[];
export type ServiceCapabilities = Partial<Record<Service, Record<string, CapabilityValue>>>;

export const capabilityValueSchema = z.union([
  z.string().max(256),
  z.boolean(),
  z.number(),
  z.array(z.string().max(256)).max(64),
]);
export const serviceCapabilitiesSchema = z.partialRecord(
  z.enum(SERVICES),
  z.record(z.string().min(1).max(64), capabilityValueSchema),
);

const asList = (v: CapabilityValue): string[] => (Array.isArray(v) ? v : [String(v)]);
const lower = (s: string) => s.toLowerCase();

/**
 * Whether an offered value satisfies a required one: lists must contain every required item (case-insensitive),
 * a required `true` needs `true`, numbers and strings must be equal (a string may also be found in a list).
 */
export function capabilitySatisfies(
  offered: CapabilityValue | undefined,
  required: CapabilityValue,
): boolean {
  if (offered === undefined) return false;
  if (typeof required === 'boolean') return required ? offered === true : true;
  if (typeof required === 'number') return offered === required;
  const have = new Set(asList(offered).map(lower));
  return asList(required).every((r) => have.has(lower(r)));
}

/** Names of required capabilities the offered set does not satisfy. */
export function missingCapabilities(
  offered: Record<string, CapabilityValue> | undefined,
  required: Record<string, CapabilityValue> | undefined,
): string[] {
  if (!required) return [];
  return Object.entries(required)
    .filter(([name, value]) => !capabilitySatisfies(offered?.[name], value))
    .map(([name]) => name);
}

/**
 * An admin may only narrow what the adapter offers: a sublist of a list, false for a true, the same scalar.
 * Returns one message per illegal override.
 */
export function narrowingProblems(manifest: ServiceCapabilities, overrides: ServiceCapabilities): string[] {
  const problems: string[] = [];
  for (const [service, caps] of Object.entries(overrides) as [Service, Record<string, CapabilityValue>][]) {
    const base = manifest[service];
    if (!base) {
      problems.push(`${service}: the adapter does not offer this service`);
      continue;
    }
    for (const [name, value] of Object.entries(caps)) {
      const offered = base[name];
      if (offered === undefined) problems.push(`${service}.${name}: the adapter has no such capability`);
      else if (!isNarrowing(offered, value))
        problems.push(`${service}.${name}: can only narrow the adapter's value`);
    }
  }
  return problems;
}

function isNarrowing(offered: CapabilityValue, value: CapabilityValue): boolean {
  if (Array.isArray(offered)) return Array.isArray(value) && capabilitySatisfies(offered, value);
  if (typeof offered === 'boolean') return value === false || value === offered;
  return value === offered;
}

/** The manifest's capabilities with the admin's narrowing applied. */
export function applyNarrowing(
  manifest: Record<string, CapabilityValue> | undefined,
  overrides: Record<string, CapabilityValue> | undefined,
): Record<string, CapabilityValue> {
  return { ...(manifest ?? {}), ...(overrides ?? {}) };
}
