// Lb on a real router host, proven with packets: three VMs run a member server answering its name; from the public
// namespace the VIP is connected to many times and the answers counted: roundrobin spreads evenly, source keeps a
// client on one member, leastconn avoids the member holding a connection; a member taken out of the rule gets no new
// connection while a connection held to it across the change goes on; haproxy killed or its configuration deleted
// is repaired by applying again; after revoke the VIP refuses, after destroyVpc no haproxy process or file remains.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { LbRuleSpec, NetworkSpec, NicSpec, VpcSpec } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { attachVm, connect, dhcp, hold, member, processesWith, run, tally } from '../src/testing';
import { ctx, useHost } from './fixtures';

const h = useHost('lb', 114);

const SNAT_IP = '203.0.114.2';
const VIP = '203.0.114.60';
const STATIC_IP = '203.0.114.50';
const CLIENTS = ['203.0.114.201', '203.0.114.202', '203.0.114.203', '203.0.114.204'];

describe('virtual router Lb with packets', () => {
  it('balances by algorithm, changes members without dropping a held connection, repairs, revokes, leaves nothing', async () => {
    const v: VpcSpec = { vpcId: randomUUID(), name: 'v', cidr: '10.8.0.0/16' };
    const web = tier(v);
    await h.el.implementVpc(v, ctx());
    await h.el.implementNetwork(web, ctx());
    const nics = [nic(web, 10, 1), nic(web, 11, 2), nic(web, 12, 3)];
    await h.el.prepareNics(nics, ctx());
    for (const [i, n] of nics.entries()) {
      const ns = await attachVm(h.prefix, h.names.nicPeer(n.nicId), `l${i}`);
      expect((await dhcp(ns, h.names.nicPeer(n.nicId), h.work)).ip).toBe(n.ip);
      h.keep(await member(ns, 8080, 'abc'[i] as string));
    }
    for (const ip of CLIENTS) await run('ip', ['-n', h.pub.ns, 'addr', 'add', `${ip}/24`, 'dev', 'up0']);
    const [a, b, c] = nics as [NicSpec, NicSpec, NicSpec];
    const byIp = new Map(nics.map((n, i) => [n.ip, 'abc'[i] as string]));
    const rule = lbRule(web, [a, b], 'roundrobin');
    const sock = `${h.stateDir}/${h.prefix}/lb-${v.vpcId}/sock`;

    // roundrobin: 10 connections, 5 each; the same spec again adopts.
    expect(await h.el.applyLbRule?.(rule, ctx())).toEqual({ adopted: false });
    expect(await h.el.applyLbRule?.(rule, ctx())).toEqual({ adopted: true });
    expect(await tally(h.pub.ns, VIP, 80, 10)).toEqual({ a: 5, b: 5 });
    const lbRows = async () =>
      (await h.el.observe({ vpcId: v.vpcId }, ctx())).resources.filter((r) => r.kind === 'lb');
    expect((await lbRows()).map((r) => [r.id, r.attributes.vip, r.attributes.members, r.issues])).toEqual([
      [rule.ruleId, `${VIP}:80`, [a.ip, b.ip].map((ip) => `${ip}:8080`).join(','), undefined],
    ]);

    // A connection held to one member across a change that takes that member out: it still echoes, while no new
    // connection reaches that member.
    const pidFile = `${h.stateDir}/${h.prefix}/lb-${v.vpcId}/pid`;
    const pidNow = async () => Number((await readFile(pidFile, 'utf8')).trim());
    const first = await pidNow();
    const held = await hold(h.pub.ns, VIP, 80);
    const gone = held.name === 'a' ? a : b;
    const kept = gone === a ? b : a;
    const moved = { ...rule, members: [kept, c].map((n) => ({ nicId: n.nicId, ip: n.ip })) };
    expect(await h.el.applyLbRule?.(moved, ctx())).toEqual({ adopted: true });
    // Through the runtime API: the same process (no reload), the member disabled and kept while it holds a session.
    expect(await pidNow()).toBe(first);
    expect(await held.echo('still here')).toBe('still here');
    expect(await tally(h.pub.ns, VIP, 80, 10)).toEqual({ [byIp.get(kept.ip) as string]: 5, c: 5 });
    await held.close();

    // source: each client stays on one member. Another algorithm is a seamless reload: a new process, and a
    // connection held across it goes on (the old process finishes it).
    const across = await hold(h.pub.ns, VIP, 80);
    const source = { ...rule, algorithm: 'source' as const, members: [a, b, c].map(m) };
    expect(await h.el.applyLbRule?.(source, ctx())).toEqual({ adopted: true });
    expect(await pidNow()).not.toBe(first);
    expect(await across.echo('across the reload')).toBe('across the reload');
    await across.close();
    const spread = new Set<string>();
    for (const ip of CLIENTS) {
      const counts = await tally(h.pub.ns, VIP, 80, 6, { source: ip });
      expect({ ip, members: Object.keys(counts).length, total: sum(counts) }).toEqual({
        ip,
        members: 1,
        total: 6,
      });
      spread.add(Object.keys(counts)[0] as string);
    }
    expect([...spread].every((x) => 'abc'.includes(x))).toBe(true);

    // leastconn: one connection held on a member, every next one goes to the other (which holds none).
    const least = { ...rule, algorithm: 'leastconn' as const };
    expect(await h.el.applyLbRule?.(least, ctx())).toEqual({ adopted: true });
    const busy = await hold(h.pub.ns, VIP, 80);
    const other = busy.name === 'a' ? 'b' : 'a';
    const settle = { sock, backend: rule.ruleId, held: 1 };
    expect(await tally(h.pub.ns, VIP, 80, 6, { settle })).toEqual({ [other]: 6 });
    await busy.close();

    // A member put in maintenance by hand through the stats socket is out of observe's members; applying repairs it.
    const api = (cmd: string) => run('sh', ['-c', `echo '${cmd}' | socat stdio unix-connect:${sock}`]);
    await api(`disable server ${rule.ruleId}/${a.nicId}`);
    expect((await lbRows())[0]?.attributes.members).toBe(`${b.ip}:8080`);
    expect(await h.el.applyLbRule?.(least, ctx())).toEqual({ adopted: true });
    expect((await lbRows())[0]?.attributes.members).toBe([a.ip, b.ip].map((ip) => `${ip}:8080`).join(','));

    // Drift: haproxy killed, then its configuration deleted: observe says so, the same spec again repairs it.
    const pid = await pidNow();
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => !existsSync(`/proc/${pid}/status`) || (await zombie(pid)));
    expect((await lbRows())[0]?.issues).toContain('haproxy is not running');
    expect(await connect(h.pub.ns, VIP, 80)).toBeNull();
    expect(await h.el.applyLbRule?.(least, ctx())).toEqual({ adopted: true });
    expect((await lbRows())[0]?.issues).toBeUndefined();
    expect(sum(await tally(h.pub.ns, VIP, 80, 4))).toBe(4);
    await rm(`${h.stateDir}/${h.prefix}/lb-${v.vpcId}/haproxy.cfg`);
    expect(await lbRows()).toEqual([]);
    expect(await h.el.applyLbRule?.(least, ctx())).toEqual({ adopted: true });
    expect((await lbRows()).map((r) => [r.id, r.issues])).toEqual([[rule.ruleId, undefined]]);

    // Conflicts: an LB on a static NAT's IP, a port forward on the LB's port, an LB on a port forward's port.
    const statik = { ruleId: randomUUID(), vpcId: v.vpcId, networkId: web.networkId, nicId: c.nicId };
    await h.el.applyStaticNat?.({ ...statik, publicIp: STATIC_IP, privateIp: c.ip }, ctx());
    await expect(
      h.el.applyLbRule?.({ ...rule, ruleId: randomUUID(), publicIp: STATIC_IP }, ctx()),
    ).rejects.toMatchObject({ category: 'RESOURCE_CONFLICT', conflict: { resource: 'public-ip' } });
    const pf = {
      version: 1 as const,
      ruleId: randomUUID(),
      vpcId: v.vpcId,
      networkId: web.networkId,
      nicId: a.nicId,
      publicIp: VIP,
      privateIp: a.ip,
      protocol: 'tcp' as const,
      publicPortStart: 79,
      publicPortEnd: 81,
      privatePortStart: 8079,
      privatePortEnd: 8081,
    };
    await expect(h.el.applyPortForwarding?.(pf, ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      conflict: { resource: 'public-port', owner: rule.ruleId },
    });
    const pf2 = {
      ...pf,
      publicPortStart: 2000,
      publicPortEnd: 2000,
      privatePortStart: 8080,
      privatePortEnd: 8080,
    };
    expect(await h.el.applyPortForwarding?.(pf2, ctx())).toEqual({ adopted: false });
    await expect(
      h.el.applyLbRule?.({ ...rule, ruleId: randomUUID(), publicPort: 2000 }, ctx()),
    ).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      conflict: { resource: 'public-port', owner: pf.ruleId },
    });
    expect(await connect(h.pub.ns, VIP, 2000)).toBe('a');
    expect(await connect(h.pub.ns, VIP, 80)).not.toBeNull();

    // Revoke: the VIP refuses; revoking again succeeds. The port forward on the address stays.
    await h.el.revokeLbRule?.(rule, ctx());
    expect(await connect(h.pub.ns, VIP, 80)).toBeNull();
    expect(await lbRows()).toEqual([]);
    await expect(h.el.revokeLbRule?.(rule, ctx())).resolves.toBeUndefined();
    expect(await connect(h.pub.ns, VIP, 2000)).toBe('a');

    // destroyVpc: no haproxy process of ours, no file.
    expect(await h.el.applyLbRule?.(rule, ctx())).toEqual({ adopted: false });
    expect((await processesWith(`${h.stateDir}/${h.prefix}/lb-`)).length).toBeGreaterThan(0);
    await h.el.destroyNetwork(web, ctx());
    await h.el.destroyVpc(v, ctx());
    expect(await processesWith(`${h.stateDir}/${h.prefix}/lb-`)).toEqual([]);
    expect(existsSync(`${h.stateDir}/${h.prefix}/lb-${v.vpcId}`)).toBe(false);
  });
});

const m = (n: NicSpec) => ({ nicId: n.nicId, ip: n.ip });
const sum = (c: Record<string, number>) => Object.values(c).reduce((x, y) => x + y, 0);

async function zombie(pid: number): Promise<boolean> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => 'State: Z');
  return /State:\s+Z/.test(status);
}

async function waitFor(cond: () => Promise<boolean>, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function lbRule(n: NetworkSpec, nics: NicSpec[], algorithm: LbRuleSpec['algorithm']): LbRuleSpec {
  return {
    ruleId: randomUUID(),
    vpcId: n.vpcId,
    networkId: n.networkId,
    name: 'web',
    publicIp: VIP,
    publicPort: 80,
    privatePort: 8080,
    protocol: 'tcp',
    algorithm,
    members: nics.map(m),
  };
}

function tier(v: VpcSpec): NetworkSpec {
  return {
    vpcId: v.vpcId,
    networkId: randomUUID(),
    name: 'web',
    cidr: '10.8.1.0/24',
    gateway: '10.8.1.1',
    isolation: { method: 'VLAN', segmentId: h.vlan },
    services: ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'Lb', 'Firewall'],
    sourceNatIp: SNAT_IP,
    publicNetwork: { cidr: '203.0.114.0/24', gateway: '203.0.114.1', vlan: null },
    dhcp: { dnsServers: [], dnsDomain: null, physicalMtu: 1500 },
  };
}

function nic(n: NetworkSpec, host: number, i: number): NicSpec {
  return {
    nicId: randomUUID(),
    networkId: n.networkId,
    vpcId: n.vpcId,
    mac: `02:00:08:${i.toString(16).padStart(2, '0')}:00:${host.toString(16).padStart(2, '0')}`,
    ip: `10.8.1.${host}`,
    vmName: `vm-${i}`,
  };
}
