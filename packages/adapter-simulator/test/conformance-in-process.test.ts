// The simulator passes the adapter conformance kit with its controller in the same process (sim:// endpoint).
import { describeConformance } from '@netplane/adapter-sdk/conformance';
import { inProcess } from './helpers';

describeConformance('simulator in-process', async () => {
  const { hub, controllerId, element } = inProcess();
  return {
    element,
    cleanup: () => element.close(),
    plantForeignNetwork: async (net) =>
      hub.plantForeign(controllerId, { kind: 'network', id: net.networkId, owner: 'other-cloud' }),
    isForeignNetworkIntact: async (net) =>
      hub.isForeignIntact(controllerId, 'network', net.networkId, 'other-cloud'),
    slowDownCalls: async () => {
      await hub.injectFault(controllerId, { kind: 'slowness', delayMs: 5_000 });
    },
  };
});

describeConformance('simulator in-process, VXLAN', async () => {
  const { element } = inProcess();
  return { element, cleanup: () => element.close(), isolationMethod: 'VXLAN' };
});
