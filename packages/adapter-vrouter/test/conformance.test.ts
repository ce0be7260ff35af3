// The adapter-sdk conformance kit against the virtual router adapter on a real router host (sshd on loopback, the
// adapter's namespaces and bridges on this machine), for VLAN and VXLAN tiers, with a public bridge for StaticNat,
// PortForwarding and Lb (haproxy in the router namespace; the kit's LB cases run since the manifest offers Lb).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkSpec } from '@netplane/adapter-sdk';
import { type ConformanceHarness, describeConformance } from '@netplane/adapter-sdk/conformance';
import { afterAll, beforeAll } from 'vitest';
import { namesFor, vrouterManifest } from '../src';
import {
  cleanupHost,
  createPublicSide,
  element,
  type PublicSide,
  run,
  type Sshd,
  startSshd,
  testPrefix,
} from '../src/testing';

const prefix = testPrefix();
const names = namesFor(prefix);
let sshd: Sshd;
let work: string;
let stateDir: string;
let pub: PublicSide;

beforeAll(async () => {
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), `np-vrouter-conf-${prefix}-`));
  stateDir = join(work, 'state');
  pub = await createPublicSide(prefix, 113);
});
afterAll(async () => {
  await pub?.remove();
  if (stateDir) await cleanupHost(prefix, stateDir);
  await sshd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const bridgeOf = (n: NetworkSpec) =>
  names.bridge(n.isolation.method === 'VXLAN' ? 'VXLAN' : 'VLAN', n.isolation.segmentId);

function harness(isolationMethod: 'VLAN' | 'VXLAN') {
  return async (): Promise<ConformanceHarness> => {
    const el = element(sshd, prefix, stateDir, { publicBridge: pub.bridge });
    let stopped: number[] = [];
    return {
      element: el,
      manifest: vrouterManifest,
      isolationMethod,
      async cleanup() {
        for (const pid of stopped) {
          try {
            process.kill(pid, 'SIGCONT');
          } catch {}
        }
        stopped = [];
        await el.close();
      },
      // Someone else's bridge already holds the tier's VLAN (or VNI) on the host.
      async plantForeignNetwork(network) {
        await run('ip', ['link', 'add', 'name', bridgeOf(network), 'type', 'bridge']);
      },
      async isForeignNetworkIntact(network) {
        const { stdout } = await run('ip', ['-j', 'link', 'show', bridgeOf(network)]);
        const [link] = JSON.parse(stdout) as { ifalias?: string }[];
        return link !== undefined && link.ifalias === undefined;
      },
      elementWithoutGateway: async () => element(sshd, prefix, stateDir),
      // Someone else's nft table in the VPC's router namespace DNATs the public IP.
      async plantForeignNat(network, ip) {
        const ns = names.routerNs(network.vpcId);
        const nft = (...args: string[]) => run('ip', ['netns', 'exec', ns, 'nft', ...args]);
        await nft('add', 'table', 'ip', 'foreign');
        await nft('add chain ip foreign pre { type nat hook prerouting priority -100 ; }');
        await nft('add', 'rule', 'ip', 'foreign', 'pre', 'ip', 'daddr', ip, 'dnat', 'to', '10.0.0.99');
      },
      async isForeignNatIntact(network, ip) {
        const ns = names.routerNs(network.vpcId);
        const { stdout } = await run('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'ip', 'foreign']);
        return stdout.includes(`ip daddr ${ip} dnat to 10.0.0.99`);
      },
      async slowDownCalls() {
        stopped = await sshd.sessionPids();
        if (stopped.length === 0) throw new Error('no SSH session to stop');
        for (const pid of stopped) process.kill(pid, 'SIGSTOP');
      },
    };
  };
}

describeConformance('virtual router (VLAN)', harness('VLAN'), { timeoutMs: 60_000 });
describeConformance('virtual router (VXLAN)', harness('VXLAN'), { timeoutMs: 60_000 });
