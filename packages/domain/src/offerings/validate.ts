// The offering validator: pure, returns one typed problem per issue, each naming the service it concerns.
import { z } from 'zod';
import type { ManifestView, ProviderView } from '../capabilities/manifest-view';
import { matrixCell } from '../capabilities/matrix';
import { missingCapabilities } from '../inventory/capability-values';
import { SERVICES, type Service } from '../vocabulary';
import type { OfferingDraft } from './offering';

export const OFFERING_PROBLEM_KINDS = [
  'NO_PROVIDER',
  'CAPABILITY_MISSING',
  'COMBINATION_INVALID',
  'ISOLATION_UNSUPPORTED',
] as const;
export type OfferingProblemKind = (typeof OFFERING_PROBLEM_KINDS)[number];
export type OfferingProblem = {
  kind: OfferingProblemKind;
  service: Service;
  adapterId: string;
  message: string;
  /** CAPABILITY_MISSING: the capability names; COMBINATION_INVALID: the services involved. */
  capabilities?: string[];
  relatedServices?: Service[];
};
export const offeringProblemSchema = z.object({
  kind: z.enum(OFFERING_PROBLEM_KINDS),
  service: z.enum(SERVICES),
  adapterId: z.string(),
  message: z.string(),
  capabilities: z.array(z.string()).optional(),
  relatedServices: z.array(z.enum(SERVICES)).optional(),
});

/** L2 networks carry no layer-3 service of ours; CloudStack allows UserData (config drive) only. */
const L2_ALLOWED = new Set<Service>(['UserData']);

type Draft = Pick<
  OfferingDraft,
  'guestType' | 'serviceProviders' | 'tags' | 'isolationMethod' | 'requiredCapabilities'
>;

export function validateOffering(
  offering: Draft,
  env: { manifests: readonly ManifestView[]; providers: readonly ProviderView[] },
): OfferingProblem[] {
  const problems: OfferingProblem[] = [];
  const manifests = new Map(env.manifests.map((m) => [m.id, m]));
  const entries = Object.entries(offering.serviceProviders) as [Service, string][];
  const reportedGroups = new Set<string>();

  for (const [service, adapterId] of entries) {
    const add = (p: Omit<OfferingProblem, 'service' | 'adapterId'>) =>
      problems.push({ service, adapterId, ...p });
    if (offering.guestType === 'L2' && !L2_ALLOWED.has(service)) {
      add({ kind: 'COMBINATION_INVALID', message: `${service}: an L2 offering can only carry UserData` });
    }
    const manifest = manifests.get(adapterId);
    if (!manifest) {
      add({ kind: 'NO_PROVIDER', message: `${service}: adapter ${adapterId} is not loaded` });
      continue;
    }
    if (!manifest.isolationMethods.includes(offering.isolationMethod)) {
      add({
        kind: 'ISOLATION_UNSUPPORTED',
        message: `${service}: ${adapterId} does not support ${offering.isolationMethod} isolation (it supports ${manifest.isolationMethods.join(', ')})`,
      });
    }
    for (const dep of manifest.serviceDependencies.filter((d) => d.service === service)) {
      const absent = dep.requires.filter((r) => offering.serviceProviders[r] !== adapterId);
      if (absent.length > 0) {
        add({
          kind: 'COMBINATION_INVALID',
          relatedServices: absent,
          message: `${service} needs ${absent.join(', ')} from the same provider (${adapterId})`,
        });
      }
    }
    if (!manifest.canEnableIndividualServices) {
      for (const group of manifest.serviceGroups ?? []) {
        const key = group.join('+');
        if (!group.includes(service) || reportedGroups.has(key)) continue;
        const absent = group.filter((g) => offering.serviceProviders[g] !== adapterId);
        if (absent.length > 0) {
          reportedGroups.add(key);
          add({
            kind: 'COMBINATION_INVALID',
            relatedServices: absent,
            message: `${service}: ${adapterId} enables ${group.join(', ')} only together; ${absent.join(', ')} missing`,
          });
        }
      }
    }

    const candidates = env.providers.filter((p) => p.adapterId === adapterId);
    const cells = candidates.map((p) => ({ p, cell: matrixCell(manifest, p, service, offering.tags) }));
    const usable = cells.filter(
      ({ p, cell }) => cell.offered && p.isolationMethods.includes(offering.isolationMethod),
    );
    if (usable.length === 0) {
      const why =
        cells.length === 0
          ? `no provider of ${adapterId} is registered on any physical network`
          : cells
              .map(({ p, cell }) =>
                cell.offered ? `${p.name}: physical network lacks ${offering.isolationMethod}` : cell.detail,
              )
              .join('; ');
      add({ kind: 'NO_PROVIDER', message: `${service}: no enabled provider can give it (${why})` });
      continue;
    }
    const required = offering.requiredCapabilities[service];
    const missingPerProvider = usable.map(({ cell }) =>
      missingCapabilities(cell.offered ? cell.capabilities : undefined, required),
    );
    if (missingPerProvider.every((m) => m.length > 0)) {
      const missing = [...new Set(missingPerProvider.flat())];
      add({
        kind: 'CAPABILITY_MISSING',
        capabilities: missing,
        message: `${service}: no enabled provider of ${adapterId} offers ${missing
          .map((c) => `${c}=${JSON.stringify(required?.[c])}`)
          .join(', ')}`,
      });
    }
  }
  return problems;
}
