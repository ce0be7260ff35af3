// The engine side of negotiation: loads the tier's offering, physical network, providers and controllers, asks each
// eligible adapter's canHandle, stores the trace, and records the chosen element per service.
import { randomUUID } from 'node:crypto';
import { type PublicNetworkSpec, toAdapterError } from '@netplane/adapter-sdk';
import {
  controllersRepo,
  negotiationTracesRepo,
  networksRepo,
  offeringsRepo,
  physicalNetworksRepo,
  providersRepo,
} from '@netplane/db';
import {
  AppError,
  applyNarrowing,
  type NegotiationProvider,
  type NegotiationResult,
  negotiate,
  type Service,
  type ServiceCapabilities,
} from '@netplane/domain';
import { unreadableCredentialsOf } from '../elements';
import type { EngineCore } from './core';
import { networkSpecOf } from './specs';

export type StoredNegotiation = NegotiationResult & {
  traceId: string;
  /** Controllers skipped because their credentials cannot be decrypted here: the diagnosis says so, not "no element". */
  unreadable: { controllerId: string; controllerName: string; reason: string }[];
};

function narrowed(services: ServiceCapabilities, overrides: ServiceCapabilities): ServiceCapabilities {
  const out: ServiceCapabilities = {};
  for (const s of Object.keys(services) as Service[]) out[s] = applyNarrowing(services[s], overrides[s]);
  return out;
}

async function loadProviders(core: EngineCore, physicalNetworkId: string): Promise<NegotiationProvider[]> {
  const db = core.deps.db.db;
  const providers = await providersRepo.listProviders(db, physicalNetworkId);
  const out: NegotiationProvider[] = [];
  for (const p of providers) {
    const manifest = core.elements.manifestOf(p.adapterId);
    const controllers = await controllersRepo.listControllers(db, p.id);
    out.push({
      id: p.id,
      name: p.name,
      adapterId: p.adapterId,
      state: p.state,
      enabledServices: p.enabledServices,
      capabilities: manifest ? narrowed(manifest.services, p.capabilityOverrides) : {},
      adapterIsolationMethods: manifest ? manifest.isolationMethods : null,
      controllers: controllers.map((c) => ({
        id: c.id,
        name: c.name,
        resourceState: c.resourceState,
        healthOk: c.health.ok,
        healthError: c.health.lastError,
      })),
    });
  }
  return out;
}

/**
 * A failed Test connection marks a controller with unreadable credentials unhealthy, and negotiation then skips it
 * without building its element: look again, so the diagnosis says "credentials unreadable", not "run Test connection".
 */
async function findUnreadableAmongUnhealthy(
  core: EngineCore,
  providers: readonly NegotiationProvider[],
  unreadable: StoredNegotiation['unreadable'],
): Promise<void> {
  const candidates = providers.filter((p) => p.state === 'Enabled').flatMap((p) => p.controllers);
  for (const c of candidates) {
    if (c.resourceState !== 'Enabled' || c.healthOk !== false) continue;
    if (unreadable.some((u) => u.controllerId === c.id)) continue;
    try {
      await core.elements.get(c.id);
    } catch (e) {
      const secret = unreadableCredentialsOf(e);
      if (secret) unreadable.push(secret);
    }
  }
}

/** Negotiates the tier's elements, stores the trace (always) and the chosen elements (when every service found one). */
export async function negotiateTier(
  core: EngineCore,
  networkId: string,
  jobId: string | null,
  /** The VPC's source-NAT address, so an adapter that needs one for SourceNat sees it in canHandle. */
  sourceNatIp?: string,
  /** The VPC's public side (the range of that address), so an adapter can tell whether it can build a gateway. */
  publicNetwork?: PublicNetworkSpec,
): Promise<StoredNegotiation> {
  const db = core.deps.db.db;
  const network = await networksRepo.getNetwork(db, networkId);
  if (!network) throw new AppError('NOT_FOUND', `Tier ${networkId} does not exist`);
  const offering = await offeringsRepo.getOffering(db, network.offeringId);
  if (!offering) throw new AppError('NOT_FOUND', `Offering ${network.offeringId} does not exist`);
  const pn = await physicalNetworksRepo.getPhysicalNetwork(db, network.physicalNetworkId);
  if (!pn) throw new AppError('NOT_FOUND', `Physical network ${network.physicalNetworkId} does not exist`);
  const providers = await loadProviders(core, pn.id);
  const spec = networkSpecOf(network, [], { sourceNatIp, publicNetwork });
  const unreadable: StoredNegotiation['unreadable'] = [];
  const result = await negotiate(
    {
      services: offering.serviceProviders,
      requiredTags: offering.tags,
      requiredCapabilities: offering.requiredCapabilities,
      isolationMethod: offering.isolationMethod,
      physicalNetwork: { id: pn.id, name: pn.name, tags: pn.tags, isolationMethods: pn.isolationMethods },
      providers,
    },
    async (service: Service, _provider, controller) => {
      try {
        const handle = await core.elements.get(controller.id);
        // canHandle goes through the controller's guards too (rate, concurrency, timeout) but is not a lifecycle call.
        return await core.calls
          .guardOf(controller.id)
          .run(handle.limits, new AbortController().signal, (signal) =>
            handle.element.canHandle(
              { network: { ...spec, services: [service] }, service },
              { signal, idempotencyKey: `${jobId ?? 'adhoc'}:canHandle:${service}:${controller.id}` },
            ),
          );
      } catch (e) {
        const secret = unreadableCredentialsOf(e);
        if (secret) {
          if (!unreadable.some((u) => u.controllerId === secret.controllerId)) unreadable.push(secret);
          return { canHandle: false, reason: `credentials unreadable: ${secret.reason}` };
        }
        const err = toAdapterError(e);
        return { canHandle: false, reason: `canHandle failed with ${err.category}: ${err.message}` };
      }
    },
  );
  if (!result.ok) await findUnreadableAmongUnhealthy(core, providers, unreadable);
  const traceId = randomUUID();
  const now = core.deps.now();
  await negotiationTracesRepo.insertTrace(db, {
    id: traceId,
    networkId,
    jobId,
    ok: result.ok,
    trace: JSON.stringify(result.trace),
    missing: JSON.stringify(result.missing),
    createdAt: now,
  });
  if (result.ok) {
    await networksRepo.replaceElements(
      db,
      networkId,
      result.chosen.map((c) => ({
        id: randomUUID(),
        networkId,
        service: c.service,
        providerId: c.providerId,
        controllerId: c.controllerId,
        adapterId: c.adapterId,
        createdAt: now,
      })),
    );
  }
  return { ...result, traceId, unreadable };
}
