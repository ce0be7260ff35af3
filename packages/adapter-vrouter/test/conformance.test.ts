// The adapter-sdk conformance kit against the virtual router adapter on a real router host (sshd on loopback, the
// adapter's namespaces and bridges on this machine), for VLAN and VXLAN tiers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkSpec } from '@netplane/adapter-sdk';
import { type ConformanceHarness, describeConformance } from '@netplane/adapter-sdk/conformance';
import { afterAll, beforeAll } from 'vitest';
import { namesFor, vrouterManifest } from '../src';
import { cleanupHost, element, run, type Sshd, startSshd, testPrefix } from '../src/testing';

const prefix = testPrefix();
const names = namesFor(prefix);
let sshd: Sshd;
let work: string;
let stateDir: string;

beforeAll(async () => {
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), `np-vrouter-conf-${prefix}-`));
  stateDir = join(work, 'state');
});
afterAll(async () => {
  if (stateDir) await cleanupHost(prefix, stateDir);
  await sshd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const bridgeOf = (n: NetworkSpec) =>
  names.bridge(n.isolation.method === 'VXLAN' ? 'VXLAN' : 'VLAN', n.isolation.segmentId);

function harness(isolationMethod: 'VLAN' | 'VXLAN') {
  return async (): Promise<ConformanceHarness> => {
    const el = element(sshd, prefix, stateDir);
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
