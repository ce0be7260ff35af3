// The capability overrides a provider edit sends: only values that differ from the adapter's, for enabled services.
import type { Service, ServiceCapabilities } from '@netplane/domain';

/** An unchanged value is no narrowing, and a disabled service keeps none (the server would refuse nothing, but
 * stale overrides would come back the day the service is enabled again). */
export function changedOverrides(
  offered: ServiceCapabilities,
  caps: ServiceCapabilities,
  services: readonly Service[],
): ServiceCapabilities {
  const out: ServiceCapabilities = {};
  for (const s of services) {
    const base = offered[s] ?? {};
    const diff = Object.fromEntries(
      Object.entries(caps[s] ?? {}).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(base[k])),
    );
    if (Object.keys(diff).length > 0) out[s] = diff;
  }
  return out;
}
