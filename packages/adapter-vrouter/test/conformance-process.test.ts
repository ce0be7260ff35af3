// The virtual router adapter passes the conformance kit out of process, the way the server runs it by default: its
// serve script (src/serve.ts) runs as a child process started and supervised by @netplane/adapter-runtime, and every
// call, abort and error crosses the wire protocol to the same real router host (sshd on loopback) as conformance.test.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcessAdapter, startProcessAdapter } from '@netplane/adapter-runtime';
import type { NetworkElement, NetworkSpec } from '@netplane/adapter-sdk';
import { type ConformanceHarness, describeConformance } from '@netplane/adapter-sdk/conformance';
import { afterAll, beforeAll, expect } from 'vitest';
import { namesFor } from '../src';
import {
  cleanupHost,
  createPublicSide,
  type PublicSide,
  run,
  type Sshd,
  startSshd,
  testPrefix,
} from '../src/testing';

const serve = fileURLToPath(new URL('../src/serve.ts', import.meta.url));
const cwd = fileURLToPath(new URL('..', import.meta.url));
const silent = { debug() {}, info() {}, warn() {}, error() {} };

const prefix = testPrefix();
const names = namesFor(prefix);
let adapter: ProcessAdapter;
let sshd: Sshd;
let work: string;
let stateDir: string;
let pub: PublicSide;

beforeAll(async () => {
  adapter = await startProcessAdapter({
    command: process.execPath,
    args: ['--import', 'tsx', serve],
    cwd,
    logger: silent,
  });
  expect(adapter.module.manifest.id).toBe('virtual-router');
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), `np-vrouter-confp-${prefix}-`));
  stateDir = join(work, 'state');
  pub = await createPublicSide(prefix, 114);
});
afterAll(async () => {
  await adapter?.stop();
  await pub?.remove();
  if (stateDir) await cleanupHost(prefix, stateDir);
  await sshd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const open = (over: Record<string, unknown>): Promise<NetworkElement> =>
  adapter.openElement(
    {
      controllerId: `test-${prefix}`,
      endpoint: `ssh://root@127.0.0.1:${sshd.port}`,
      credentials: { privateKey: sshd.privateKey },
      config: { hostKey: sshd.hostKey, namePrefix: prefix, stateDir, ...over },
    },
    { logger: silent },
  );

const bridgeOf = (n: NetworkSpec) =>
  names.bridge(n.isolation.method === 'VXLAN' ? 'VXLAN' : 'VLAN', n.isolation.segmentId);

function harness(isolationMethod: 'VLAN' | 'VXLAN') {
  return async (): Promise<ConformanceHarness> => {
    const el = await open({ publicBridge: pub.bridge });
    let stopped: number[] = [];
    return {
      element: el,
      // The manifest as the handshake carried it: what the server registers.
      manifest: adapter.module.manifest,
      isolationMethod,
      async cleanup() {
        for (const pid of stopped) {
          try {
            process.kill(pid, 'SIGCONT');
          } catch {}
        }
        stopped = [];
        await el.close?.();
      },
      async plantForeignNetwork(network) {
        await run('ip', ['link', 'add', 'name', bridgeOf(network), 'type', 'bridge']);
      },
      async isForeignNetworkIntact(network) {
        const { stdout } = await run('ip', ['-j', 'link', 'show', bridgeOf(network)]);
        const [link] = JSON.parse(stdout) as { ifalias?: string }[];
        return link !== undefined && link.ifalias === undefined;
      },
      elementWithoutGateway: () => open({}),
      // Someone else's nft table in the VPC's router namespace DNATs the public IP.
      async plantForeignNat(network, ip) {
        const nft = (...args: string[]) =>
          run('ip', ['netns', 'exec', names.routerNs(network.vpcId), 'nft', ...args]);
        await nft('add', 'table', 'ip', 'foreign');
        await nft('add chain ip foreign pre { type nat hook prerouting priority -100 ; }');
        await nft('add', 'rule', 'ip', 'foreign', 'pre', 'ip', 'daddr', ip, 'dnat', 'to', '10.0.0.99');
      },
      async isForeignNatIntact(network, ip) {
        const ns = names.routerNs(network.vpcId);
        const { stdout } = await run('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'ip', 'foreign']);
        return stdout.includes(`ip daddr ${ip} dnat to 10.0.0.99`);
      },
      // The adapter process's SSH sessions hang (SIGSTOP): the abort case aborts a call across the wire.
      async slowDownCalls() {
        // A session may end between the listing and the signal (ESRCH): only the ones stopped count.
        stopped = (await sshd.sessionPids()).filter((pid) => {
          try {
            process.kill(pid, 'SIGSTOP');
            return true;
          } catch {
            return false;
          }
        });
        if (stopped.length === 0) throw new Error('no SSH session to stop');
      },
    };
  };
}

describeConformance('virtual router out of process (VLAN)', harness('VLAN'), { timeoutMs: 60_000 });
describeConformance('virtual router out of process (VXLAN)', harness('VXLAN'), { timeoutMs: 60_000 });
