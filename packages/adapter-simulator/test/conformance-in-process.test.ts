// The simulator passes the adapter conformance kit with its controller in the same process (sim:// endpoint).
import { describeConformance } from '@netplane/adapter-sdk/conformance';
import { simulatorManifest } from '../src/index';
import { inProcess } from './helpers';

describeConformance('simulator in-process', async () => {
  const { hub, controllerId, element } = inProcess();
  return {
    element,
    manifest: simulatorManifest,
    cleanup: () => element.close(),
    plantForeignNat: async (net, ip) =>
      hub.plantForeign(controllerId, { kind: 'publicIp', ip, vpcId: net.vpcId, owner: 'other-cloud' }),
    isForeignNatIntact: async () => (await hub.getState(controllerId))?.counts.foreign === 1,
    plantForeignNetwork: async (net) =>
      hub.plantForeign(controllerId, { kind: 'network', id: net.networkId, owner: 'other-cloud' }),
    isForeignNetworkIntact: async (net) =>
      hub.isForeignIntact(controllerId, 'network', net.networkId, 'other-cloud'),
    slowDownCalls: async () => {
      await hub.injectFault(controllerId, { kind: 'slowness', delayMs: 5_000 });
    },
    // A controller that models OVN's gateway requirement, with no gateway chassis configured.
    elementWithoutGateway: async () => inProcess(hub, { requireGatewayChassis: true }).element,
  };
});

// VXLAN, with the conflict planted as the network's VNI held by a foreign switch rather than a switch with our name.
describeConformance('simulator in-process, VXLAN', async () => {
  const { hub, controllerId, element } = inProcess();
  const owner = 'other-cloud';
  return {
    element,
    manifest: simulatorManifest,
    cleanup: () => element.close(),
    isolationMethod: 'VXLAN',
    // Controller-wide here: someone else's NAT on another router uses the address.
    plantForeignNat: async (_net, ip) => hub.plantForeign(controllerId, { kind: 'publicIp', ip, owner }),
    isForeignNatIntact: async () => (await hub.getState(controllerId))?.counts.foreign === 1,
    plantForeignNetwork: async (net) =>
      hub.plantForeign(controllerId, {
        kind: 'segment',
        method: net.isolation.method,
        segmentId: net.isolation.segmentId,
        owner,
      }),
    isForeignNetworkIntact: async () => {
      const state = await hub.getState(controllerId);
      return state?.counts.foreign === 1 && state.counts.segments === 1;
    },
  };
});
