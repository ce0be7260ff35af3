// @ts-check
// The conformance kit's hooks for this adapter: they act on the controller from outside, behind the element's back,
// as an operator would. Here a foreign switch is planted in the in-memory controller; against a real controller,
// create it with the controller's own API or CLI. Used by conformance.test.js and by
// `netplane adapter test . --hooks conformance-hooks.js`, so the foreign-resource conflict case runs there too.
import { controllerFor, nameOf } from './controller.js';

/** @param {{ connection: import('@netplane/adapter-sdk').ControllerConnection }} ctx */
export default function hooks({ connection }) {
  const c = controllerFor(connection.endpoint);
  return {
    /** Someone else's switch with our network's name and segment (no external ids of ours). */
    async plantForeignNetwork(/** @type {import('@netplane/adapter-sdk').NetworkSpec} */ net) {
      const name = nameOf('net', net.networkId);
      const segment = `${net.isolation.method.toLowerCase()}:${net.isolation.segmentId}`;
      c.switches.set(name, {
        owner: 'ops',
        vpcId: '',
        id: '',
        cidr: '192.0.2.0/24',
        gateway: '192.0.2.1',
        segment,
        broadcastUri: '',
        dhcp: false,
      });
      c.segments.set(segment, name);
    },
    async isForeignNetworkIntact(/** @type {import('@netplane/adapter-sdk').NetworkSpec} */ net) {
      return c.switches.get(nameOf('net', net.networkId))?.owner === 'ops';
    },
  };
}
