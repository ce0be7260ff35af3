// @ts-check
// The conformance kit in process, with the hooks only this package can give: a foreign switch planted behind the
// element's back (the RESOURCE_CONFLICT case). `netplane adapter test .` runs the same kit without hooks; run this
// one with `npx vitest run` once '@netplane/adapter-sdk' and vitest are installed as dev dependencies.
import { randomUUID } from 'node:crypto';
import { describeConformance } from '@netplane/adapter-sdk/conformance';
import { controllerFor, nameOf } from './controller.js';
import adapter from './index.js';

const quiet = () => {};
const logger = { debug: quiet, info: quiet, warn: quiet, error: quiet };

describeConformance('__ID__', async () => {
  const endpoint = `memory://${randomUUID()}`;
  const element = adapter.createElement(
    { controllerId: randomUUID(), endpoint, credentials: { token: 'test' }, config: {} },
    { logger },
  );
  const c = controllerFor(endpoint);
  return {
    element,
    manifest: adapter.manifest,
    cleanup: () => element.close(),
    async plantForeignNetwork(net) {
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
    async isForeignNetworkIntact(net) {
      return c.switches.get(nameOf('net', net.networkId))?.owner === 'ops';
    },
  };
});
