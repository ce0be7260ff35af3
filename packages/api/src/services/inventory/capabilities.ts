// The capability matrix and the provider views the offering validator works on, read from the inventory.
import { physicalNetworksRepo, providersRepo } from '@netplane/db';
import { buildCapabilityMatrix, type CapabilityMatrix, type ProviderView } from '@netplane/domain';
import { manifestViews } from './adapters';
import type { ServiceCtx } from './context';
import { getPhysicalNetwork } from './physical-networks';

/** Every provider (or those of one physical network) with its network's tags and isolation methods. */
export async function providerViews(
  ctx: Pick<ServiceCtx, 'db'>,
  physicalNetworkId?: string,
): Promise<ProviderView[]> {
  if (physicalNetworkId !== undefined) await getPhysicalNetwork(ctx, physicalNetworkId);
  const providers = await providersRepo.listProviders(ctx.db, physicalNetworkId);
  const networks = new Map(
    (await physicalNetworksRepo.listPhysicalNetworks(ctx.db)).map((pn) => [pn.id, pn]),
  );
  return providers.map((p) => {
    const pn = networks.get(p.physicalNetworkId);
    return {
      id: p.id,
      name: p.name,
      adapterId: p.adapterId,
      physicalNetworkId: p.physicalNetworkId,
      state: p.state,
      enabledServices: p.enabledServices,
      capabilityOverrides: p.capabilityOverrides,
      tags: pn?.tags ?? [],
      isolationMethods: pn?.isolationMethods ?? [],
    };
  });
}

export async function capabilityMatrix(
  ctx: ServiceCtx,
  input: { physicalNetworkId?: string | undefined; requiredTags?: string[] | undefined },
): Promise<CapabilityMatrix> {
  return buildCapabilityMatrix({
    manifests: manifestViews(ctx.deps),
    providers: await providerViews(ctx, input.physicalNetworkId),
    requiredTags: input.requiredTags ?? [],
  });
}
