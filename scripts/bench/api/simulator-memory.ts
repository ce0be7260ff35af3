// How much of the server's heap the simulator's in-memory controller holds per NIC: VPCs of one tier with N NICs
// each, created through the simulator element in this process, live heap measured after a full GC. Run with
// `node --expose-gc --import tsx scripts/bench/api/simulator-memory.ts [vpcs] [nicsPerVpc]`.
import { randomUUID } from 'node:crypto';
import { createSimulatorAdapter, SimulatorHub } from '@netplane/adapter-simulator';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const [vpcs = 10_000, perVpc = 10] = process.argv.slice(2).map(Number);
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const hub = new SimulatorHub('mem');
const element = createSimulatorAdapter(hub).createElement(
  { controllerId: 'mem', endpoint: 'sim://mem', credentials: { username: 'a', password: 'b' }, config: {} },
  { logger: silent },
);
const ctx = () => ({ signal: AbortSignal.timeout(60_000), idempotencyKey: randomUUID() });
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
// The simulator keeps a call log of its last 20,000 calls; it fills in the first VPCs, so measure after it is full.
const before = heap();
let base = before;
let baseNics = 0;
for (let v = 0; v < vpcs; v++) {
  const vpcId = randomUUID();
  const networkId = randomUUID();
  await element.implementVpc({ vpcId, name: `vpc-${v}`, cidr: '10.0.0.0/16' }, ctx());
  await element.implementNetwork(
    {
      vpcId,
      networkId,
      name: 'web',
      cidr: '10.0.1.0/24',
      gateway: '10.0.1.1',
      isolation: { method: 'VXLAN', segmentId: 10_000 + v },
      services: ['Connectivity', 'Dhcp'],
    },
    ctx(),
  );
  const nics = Array.from({ length: perVpc }, (_, n) => ({
    nicId: randomUUID(),
    networkId,
    vpcId,
    mac: `02:00:00:${(v >> 8) & 255}:${v & 255}:${n}`.replace(/:(\d)(?=:|$)/g, ':0$1'),
    ip: `10.0.1.${n + 10}`,
    vmName: `vm-${v}-${n}`,
  }));
  await element.prepareNics(nics, ctx());
  if (v === 2000) {
    base = heap();
    baseNics = (v + 1) * perVpc;
  }
}
const after = heap();
console.error(JSON.stringify((await hub.getState('mem'))?.counts ?? hub.controller('mem')));
const perNic = (after - base) / (vpcs * perVpc - baseNics);
console.log(
  JSON.stringify({
    vpcs,
    nics: vpcs * perVpc,
    heapMiB: Math.round((after - before) / 2 ** 20),
    bytesPerNicWithItsShareOfVpcAndTier: Math.round(perNic),
  }),
);
