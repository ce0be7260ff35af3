// checkRealized on a real router host: one SSH round trip judges the VPC's namespace, a VLAN and a VXLAN tier, NICs
// with a VM (realized, their lease served) and without one (PortNotBound), an ACL list, a static NAT, a port forward
// and the source NAT; a dnsmasq restarted by hand after an edit of its hosts file serves no lease for the NIC
// (DhcpEntryNotLoaded) until the NIC is prepared again. The trace of the NAT paths agrees with real connections.
import { randomUUID } from 'node:crypto';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetworkSpec, RealizedReport } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { aclTable, inChain } from '../src/acl/render';
import { connect, listen, processesWith, run } from '../src/testing';
import { ctx, list, nicOf, rule, staticNat, tier, traceSpec, useHost, vm } from './fixtures';

const h = useHost('realized', 114);

const SNAT_IP = '203.0.114.2';
const STATIC_IP = '203.0.114.50';
const verdicts = (r: RealizedReport) =>
  Object.fromEntries(
    r.resources.map((x) => [`${x.kind} ${x.id}`, x.realized ? x.reason : `${x.reason}: ${x.message}`]),
  );

describe('checkRealized on a real router host', () => {
  it('judges every part from the host in one round trip, and names what is not in effect', async () => {
    const vpcId = randomUUID();
    const withNat = (n: NetworkSpec): NetworkSpec => ({
      ...n,
      services: [...n.services, 'SourceNat', 'StaticNat', 'PortForwarding'],
      sourceNatIp: SNAT_IP,
      publicNetwork: { cidr: '203.0.114.0/24', gateway: '203.0.114.1', vlan: null },
    });
    const web = withNat(tier(vpcId, 1, h.vlan, 'web'));
    const db: NetworkSpec = {
      ...tier(vpcId, 2, h.vlan + 1, 'db'),
      isolation: { method: 'VXLAN', segmentId: h.vlan + 5000 },
    };
    await h.el.implementVpc({ vpcId, name: 'r', cidr: '10.7.0.0/16' }, ctx());
    for (const n of [web, db]) await h.el.implementNetwork(n, ctx());
    const [w, d, idle] = [nicOf(web, 1), nicOf(db, 2), nicOf(web, 3, 12)];
    await h.el.prepareNics([w, idle], ctx());
    await h.el.prepareNic(d, ctx());
    const [wVm, dVm] = [await vm(h, w, 'w'), await vm(h, d, 'd')];
    const dbList = list(db, 'db-acl', [rule(10, { portStart: 8000, portEnd: 8000 })]);
    await h.el.applyNetworkAcl?.(dbList, ctx());
    const nat = staticNat(d, STATIC_IP);
    await h.el.applyStaticNat?.(nat, ctx());
    const pf = {
      version: 1 as const,
      ruleId: randomUUID(),
      vpcId,
      networkId: web.networkId,
      nicId: w.nicId,
      publicIp: SNAT_IP,
      privateIp: w.ip,
      protocol: 'tcp' as const,
      publicPortStart: 2222,
      publicPortEnd: 2222,
      privatePortStart: 8000,
      privatePortEnd: 8000,
    };
    await h.el.applyPortForwarding?.(pf, ctx());

    const before = h.el.roundTrips();
    const report = (await h.el.checkRealized?.({ vpcId, waitMs: 1000 }, ctx())) as RealizedReport;
    expect(h.el.roundTrips() - before).toBe(1);
    expect(report.overall).toMatchObject({ realized: true, reason: 'Realized' });
    expect(verdicts(report)).toEqual({
      [`vpc ${vpcId}`]: 'Realized',
      [`network ${web.networkId}`]: 'Realized',
      [`network ${db.networkId}`]: 'Realized',
      [`nic ${w.nicId}`]: 'Realized',
      [`nic ${d.nicId}`]: 'Realized',
      [`nic ${idle.nicId}`]: expect.stringMatching(/^PortNotBound: no VM has taken/),
      [`acl ${db.networkId}/list`]: 'Realized',
      [`nat ${nat.ruleId}`]: 'Realized',
      [`pf ${pf.ruleId}`]: 'Realized',
      [`nat ${web.networkId}/snat`]: 'Realized',
    });
    const dbNet = report.resources.find((x) => x.id === db.networkId);
    expect(dbNet?.evidence?.join('\n')).toMatch(/vxlan .* on .*\n?.*dnsmasq pid \d+/);
    expect(report.resources.find((x) => x.id === w.nicId)?.evidence).toContain(
      `dhcp-host ${w.mac},set:${w.nicId},${w.ip}`,
    );
    // Named as observe() names them, so the engine sets each resource's condition.
    const observed = (await h.el.observe({ vpcId }, ctx())).resources.map((r) => `${r.kind} ${r.id}`);
    expect(observed.sort()).toEqual(Object.keys(verdicts(report)).sort());

    // Scoped to a tier: only its parts.
    const scoped = (await h.el.checkRealized?.(
      { vpcId, networkIds: [db.networkId], waitMs: 1000 },
      ctx(),
    )) as RealizedReport;
    expect(Object.keys(verdicts(scoped)).sort()).toEqual([
      `acl ${db.networkId}/list`,
      `network ${db.networkId}`,
      `nic ${d.nicId}`,
      `vpc ${vpcId}`,
    ]);

    // Every rule shape the adapter renders reads back from the kernel equal to the record (the canonical form: a set
    // of CIDRs merged as nft merges it, ports, ICMP type and code, protocols, Egress rules).
    const shapes = list(web, 'shapes', [
      rule(1, { cidrs: ['10.9.0.0/24', '10.9.1.0/24', '10.10.0.0/16'], portStart: 80, portEnd: 90 }),
      rule(2, { protocol: 'udp', portStart: 53, portEnd: 53, action: 'deny' }),
      rule(3, { protocol: 'udp' }),
      rule(4, { protocol: 'icmp', icmpType: 3, icmpCode: 4 }),
      rule(5, { protocol: 'icmp', icmpType: -1, icmpCode: 3 }),
      rule(6, { protocol: 'icmp' }),
      rule(7, { protocol: 'all', cidrs: ['192.0.2.7/32'] }),
      rule(8, {
        trafficType: 'Egress',
        action: 'deny',
        cidrs: ['198.51.100.0/24'],
        portStart: 443,
        portEnd: 443,
      }),
      rule(9, { trafficType: 'Egress', protocol: 'all' }),
      rule(10, {}),
    ]);
    await h.el.applyNetworkAcl?.(shapes, ctx());
    const check = async () =>
      verdicts((await h.el.checkRealized?.({ vpcId, waitMs: 1000 }, ctx())) as RealizedReport);
    expect((await check())[`acl ${web.networkId}/list`]).toBe('Realized');

    // The NAT paths: the trace says what a real connection from the public network does.
    for (const [ns, name] of [
      [wVm, 'w'],
      [dVm, 'd'],
    ] as const)
      h.keep(await listen(ns, 8000, name));
    const pub = h.pub;
    const inbound = (ip: string, port: number) =>
      h.el.trace?.(
        traceSpec(
          [web, db],
          { kind: 'outside', ip: pub.gateway },
          { kind: 'address', ip },
          { protocol: 'tcp', port },
        ),
        ctx(),
      );
    const st = await inbound(STATIC_IP, 8000);
    expect([st?.outcome, st?.deliveredTo, await connect(pub.ns, STATIC_IP, 8000)]).toEqual([
      'delivered',
      { nicId: d.nicId, ip: d.ip, port: 8000 },
      'd',
    ]);
    expect(st?.hops.find((x) => x.kind === 'nat')).toMatchObject({
      ref: { type: 'staticNat', ruleId: nat.ruleId },
      rewrite: { field: 'ip4.dst', from: STATIC_IP, to: d.ip },
    });
    const fwd = await inbound(SNAT_IP, 2222);
    expect([fwd?.outcome, fwd?.deliveredTo, await connect(pub.ns, SNAT_IP, 2222)]).toEqual([
      'delivered',
      { nicId: w.nicId, ip: w.ip, port: 8000 },
      'w',
    ]);
    expect(fwd?.hops.find((x) => x.kind === 'nat')?.ref).toEqual({
      type: 'portForwarding',
      ruleId: pf.ruleId,
    });
    const closed = await inbound(SNAT_IP, 8000);
    expect([closed?.outcome, await connect(pub.ns, SNAT_IP, 8000)]).toEqual(['dropped', null]);
    // A rule added by hand to db's Ingress chain: the list is not what the kernel holds, and the trace follows the
    // kernel (the inserted drop decides, as for the real connection); applying the list again removes it.
    const chain = inChain(db.networkId);
    const aclT = aclTable(h.prefix, vpcId);
    await run('ip', [
      'netns',
      'exec',
      h.names.routerNs(vpcId),
      'nft',
      'insert',
      'rule',
      'inet',
      aclT,
      chain,
      'tcp',
      'dport',
      '8000',
      'drop',
    ]);
    expect((await check())[`acl ${db.networkId}/list`]).toMatch(
      new RegExp(
        `^RulesDiffer: chain ${chain} differs from list db-acl at rule 1: the kernel holds a rule without comment`,
      ),
    );
    const cut = await inbound(STATIC_IP, 8000);
    expect([cut?.outcome, cut?.reason, await connect(pub.ns, STATIC_IP, 8000)]).toEqual([
      'dropped',
      'AclDenied',
      null,
    ]);
    expect(cut?.message).toContain(`a rule Netplane did not make (chain ${chain} of table inet ${aclT})`);
    expect(await h.el.applyNetworkAcl?.(dbList, ctx())).toEqual({ adopted: false });
    expect((await check())[`acl ${db.networkId}/list`]).toBe('Realized');
    expect(await connect(pub.ns, STATIC_IP, 8000)).toBe('d');

    // Outbound: the source NAT for w, the static NAT's own address for d (as the public side sees them).
    const upstream = await listen(pub.ns, 7000, 'up');
    h.keep(upstream);
    for (const [n, ns, seen, ref] of [
      [w, wVm, SNAT_IP, { type: 'sourceNat', publicIp: SNAT_IP }],
      [d, dVm, STATIC_IP, { type: 'staticNat', ruleId: nat.ruleId }],
    ] as const) {
      const t = await h.el.trace?.(
        traceSpec(
          [web, db],
          { kind: 'nic', nicId: n.nicId, networkId: n.networkId, mac: n.mac, ip: n.ip },
          { kind: 'address', ip: pub.gateway },
          { protocol: 'tcp', port: 7000 },
        ),
        ctx(),
      );
      expect(await connect(ns, pub.gateway, 7000)).toBe('up');
      expect(upstream.peers.at(-1)).toBe(seen);
      expect(t?.outcome).toBe('delivered');
      expect(t?.hops.find((x) => x.kind === 'nat')).toMatchObject({
        ref,
        rewrite: { field: 'ip4.src', to: seen },
      });
    }

    // dnsmasq restarted by hand after the hosts file lost w's line: w's lease is not served.
    const dir = join(h.work, 'state', h.prefix, web.networkId);
    const [pid] = await processesWith(join(dir, 'dnsmasq.conf'));
    process.kill(pid as number, 'SIGKILL');
    const hosts = await readFile(join(dir, 'hosts'), 'utf8');
    await writeFile(
      join(dir, 'hosts'),
      hosts
        .split('\n')
        .filter((l) => !l.includes(w.nicId))
        .join('\n'),
    );
    // Changed well before the restart (the check knows a process's start to a clock tick).
    const past = new Date(Date.now() - 5000);
    await utimes(join(dir, 'hosts'), past, past);
    await run('ip', [
      'netns',
      'exec',
      h.names.routerNs(vpcId),
      'dnsmasq',
      `--conf-file=${join(dir, 'dnsmasq.conf')}`,
    ]);
    const edited = (await h.el.checkRealized?.(
      { vpcId, networkIds: [web.networkId], waitMs: 1000 },
      ctx(),
    )) as RealizedReport;
    expect(verdicts(edited)[`nic ${w.nicId}`]).toMatch(
      /^DhcpEntryNotLoaded: dnsmasq does not serve the lease/,
    );
    expect(verdicts(edited)[`network ${web.networkId}`]).toBe('Realized');
    await h.el.prepareNic(w, ctx());
    const again = (await h.el.checkRealized?.(
      { vpcId, networkIds: [web.networkId], waitMs: 1000 },
      ctx(),
    )) as RealizedReport;
    expect(verdicts(again)[`nic ${w.nicId}`]).toBe('Realized');
  });
});
