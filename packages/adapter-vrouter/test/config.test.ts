// What the element does before it ever connects: a bad endpoint, config or credential fails every call with
// INVALID_REQUEST naming fields (never a value), a spec value that could reach a script unchecked is refused, and the
// pinned key's fingerprint is the one ssh-keygen prints.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkSpec } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { createVrouterElement, pinnedFingerprint, vrouterManifest } from '../src';
import { parseEndpoint } from '../src/config';
import { run } from '../src/testing';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKdummydummydummydummydummydummydummydummyd test';
const SECRET = '-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LXNlY3JldA==\n-----END OPENSSH PRIVATE KEY-----';
const ctx = () => ({ signal: AbortSignal.timeout(10_000), idempotencyKey: randomUUID() });

function el(
  endpoint: string,
  config: Record<string, unknown>,
  credentials: Record<string, string> = { privateKey: SECRET },
) {
  return createVrouterElement({ controllerId: 'c', endpoint, credentials, config }, { logger: silent });
}

describe('virtual router element before it connects', () => {
  it('answers every call INVALID_REQUEST for a bad endpoint, config or credential, naming fields only', async () => {
    const cases = [
      el('ftp://host', { hostKey: HOST_KEY }),
      el('ssh://root@127.0.0.1:1', { hostKey: 'not a key' }),
      el('ssh://root@127.0.0.1:1', { hostKey: HOST_KEY, namePrefix: 'toolong' }),
      el('ssh://root@127.0.0.1:1', { hostKey: HOST_KEY, nope: 1 }),
      el('ssh://root@127.0.0.1:1', { hostKey: HOST_KEY }, { privateKey: SECRET, extra: SECRET }),
      el('ssh://root@127.0.0.1:1', { hostKey: HOST_KEY, publicBridge: 'br0;reboot' }),
      // `<uplink>.<vlan>` must fit 15 bytes, and the name reaches a script.
      el('ssh://root@127.0.0.1:1', { hostKey: HOST_KEY, publicUplink: 'enp0s31f6xyz' }),
      el('ssh://root@127.0.0.1:1', { hostKey: HOST_KEY, publicUplink: 'eth1.5' }),
    ];
    const messages: string[] = [];
    for (const e of cases) {
      const err = await e.healthCheck(ctx()).catch((x: unknown) => x);
      expect(err).toMatchObject({ category: 'INVALID_REQUEST' });
      messages.push((err as Error).message);
      await e.close();
    }
    expect(messages.join('\n')).not.toContain('c2VjcmV0');
    expect(messages[1]).toMatch(/hostKey: must be the host public key/);
    expect(messages[2]).toMatch(/namePrefix/);
    expect(messages[3]).toMatch(/nope|Unrecognized/);
    expect(messages.slice(6)).toEqual([
      expect.stringContaining('publicUplink: must be a Linux interface name of 1-10'),
      expect.stringContaining('publicUplink: must be a Linux interface name of 1-10'),
    ]);
  });

  it('refuses spec values that would reach a script unchecked, before connecting', async () => {
    const e = el('ssh://root@127.0.0.1:1', { hostKey: HOST_KEY });
    const net: NetworkSpec = {
      vpcId: randomUUID(),
      networkId: randomUUID(),
      name: 't',
      cidr: '10.0.1.0/24',
      gateway: '10.0.1.1',
      isolation: { method: 'VLAN', segmentId: 100 },
      services: ['Connectivity', 'Dhcp'],
      dhcp: { dnsServers: [], dnsDomain: 'x\ndhcp-script=/tmp/evil', physicalMtu: 1500 },
    };
    await expect(e.implementNetwork(net, ctx())).rejects.toMatchObject({ category: 'INVALID_REQUEST' });
    await expect(
      e.implementNetwork({ ...net, dhcp: undefined, networkId: 'a;reboot' }, ctx()),
    ).rejects.toMatchObject({
      category: 'INVALID_REQUEST',
    });
    const nic = {
      nicId: randomUUID(),
      networkId: net.networkId,
      vpcId: net.vpcId,
      mac: "02:00:00:00:00:01'",
      ip: '10.0.1.5',
      vmName: 'v',
    };
    const [r] = await e.prepareNics([nic], ctx());
    expect(r).toMatchObject({ ok: false, error: { category: 'INVALID_REQUEST' } });
    // A valid spec gets as far as the key, which does not parse: INVALID_REQUEST, without the key in the message.
    const err = await e
      .implementVpc({ vpcId: net.vpcId, name: 'v', cidr: '10.0.0.0/16' }, ctx())
      .catch((x) => x);
    expect(err).toMatchObject({ category: 'INVALID_REQUEST', vendorCode: 'BAD_KEY' });
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('c2VjcmV0');
    await e.close();
  });

  it('answers UNREACHABLE when nothing listens at the endpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'np-vrouter-key-'));
    try {
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
      const privateKey = (await run('cat', [join(dir, 'k')])).stdout;
      const e = el('ssh://root@127.0.0.1:1', { hostKey: HOST_KEY }, { privateKey });
      await expect(e.healthCheck(ctx())).rejects.toMatchObject({
        category: 'UNREACHABLE',
        vendorCode: 'ECONNREFUSED',
      });
      await e.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('parses endpoints with root and port 22 by default', () => {
    expect(parseEndpoint('ssh://admin@192.0.2.10:3922')).toEqual({
      username: 'admin',
      host: '192.0.2.10',
      port: 3922,
    });
    expect(parseEndpoint('router.example')).toEqual({ username: 'root', host: 'router.example', port: 22 });
    expect(() => parseEndpoint('ssh://root@host:99999')).toThrow(/Endpoint must be/);
  });

  it("pins the fingerprint ssh-keygen prints for the host's key", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'np-vrouter-key-'));
    try {
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
      const line = (await run('cat', [join(dir, 'k.pub')])).stdout.trim();
      const printed = (
        await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'k.pub')])
      ).stdout.split(' ')[1];
      expect(pinnedFingerprint(line)).toBe(printed);
      expect(pinnedFingerprint(printed as string)).toBe(printed);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses NAT specs whose values would reach a script, before connecting', async () => {
    const e = el('ssh://root@127.0.0.1:1', { hostKey: HOST_KEY, publicBridge: 'br0' });
    const ids = { ruleId: 'r1', vpcId: 'v1', networkId: 'n1', nicId: 'c1' };
    const bad = [
      e.applyStaticNat?.({ ...ids, publicIp: '203.0.113.5;reboot', privateIp: '10.0.0.5' }, ctx()),
      e.applyStaticNat?.({ ...ids, ruleId: 'r 1', publicIp: '203.0.113.5', privateIp: '10.0.0.5' }, ctx()),
      e.applyPortForwarding?.(
        {
          version: 1,
          ...ids,
          publicIp: '203.0.113.5',
          privateIp: '10.0.0.5',
          protocol: 'tcp',
          publicPortStart: 10,
          publicPortEnd: 20,
          privatePortStart: 10,
          privatePortEnd: 11,
        },
        ctx(),
      ),
    ];
    for (const p of bad) await expect(p).rejects.toMatchObject({ category: 'INVALID_REQUEST' });
    await e.close();
  });

  it('offers only what it implements, with a write-only credential schema', () => {
    expect(Object.keys(vrouterManifest.services).sort()).toEqual([
      'Connectivity',
      'Dhcp',
      'Firewall',
      'Lb',
      'NetworkACL',
      'PortForwarding',
      'SourceNat',
      'StaticNat',
    ]);
    const props = vrouterManifest.credentialSchema.properties as Record<string, { writeOnly?: boolean }>;
    expect(props.privateKey?.writeOnly).toBe(true);
    const e = el('ssh://h', { hostKey: HOST_KEY });
    expect(typeof e.applyStaticNat).toBe('function');
    expect(typeof e.applyPortForwarding).toBe('function');
    expect(typeof e.applyLbRule).toBe('function');
    expect(typeof e.revokeLbRule).toBe('function');
    expect(vrouterManifest.services.Lb?.SupportedLbAlgorithms).toEqual(['roundrobin', 'leastconn', 'source']);
  });
});
