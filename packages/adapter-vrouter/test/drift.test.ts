// Drift and repair with packets: the router namespace's ruleset flushed by hand, a tier's bridge deleted, a tier's
// dnsmasq killed each show in observe() as issues and in checkRealized as not realized, the trace follows the kernel
// (what really happens to packets meanwhile), and re-applying what the engine's repair calls (implementNetwork,
// applyNetworkAcl, the NAT apply) restores it: packets flow, or are denied, as the policy says again.
import { randomUUID } from 'node:crypto';
import type { NetworkSpec, NicSpec, RealizedReport, TraceFlow } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { attachVm, connect, dhcp, listen, processesWith, run } from '../src/testing';
import {
  connects,
  ctx,
  list,
  nicEnd,
  nicOf,
  rule,
  serve,
  staticNat,
  tier,
  traceSpec,
  useHost,
  vm,
} from './fixtures';

const h = useHost('drift', 115);

const SNAT_IP = '203.0.115.2';
const STATIC_IP = '203.0.115.50';

describe('drift on a real router host, and its repair, with packets', () => {
  it('flushed ruleset, deleted bridge, killed dnsmasq: issues, not realized, repaired by applying again', async () => {
    const vpcId = randomUUID();
    const web: NetworkSpec = {
      ...tier(vpcId, 1, h.vlan, 'web'),
      services: ['Connectivity', 'Dhcp', 'NetworkACL', 'SourceNat', 'StaticNat'],
      sourceNatIp: SNAT_IP,
      publicNetwork: { cidr: '203.0.115.0/24', gateway: '203.0.115.1', vlan: null },
    };
    const db = tier(vpcId, 2, h.vlan + 1, 'db');
    await h.el.implementVpc({ vpcId, name: 'd', cidr: '10.7.0.0/16' }, ctx());
    for (const n of [web, db]) await h.el.implementNetwork(n, ctx());
    const [w, d] = [nicOf(web, 1), nicOf(db, 2)];
    for (const n of [w, d]) await h.el.prepareNic(n, ctx());
    const [wVm, dVm] = [await vm(h, w, 'w'), await vm(h, d, 'd')];
    await serve(dVm, [22]);
    h.keep(await listen(dVm, 8000, 'd'));
    const dbList = list(db, 'db-acl', [rule(10, { portStart: 8000, portEnd: 8000 })]);
    await h.el.applyNetworkAcl?.(dbList, ctx());
    const nat = staticNat(d, STATIC_IP);
    await h.el.applyStaticNat?.(nat, ctx());
    const pub = h.pub;

    const realized = async (): Promise<Record<string, string>> => {
      const r = (await h.el.checkRealized?.({ vpcId, waitMs: 1000 }, ctx())) as RealizedReport;
      return Object.fromEntries(r.resources.map((x) => [`${x.kind} ${x.id}`, x.reason]));
    };
    const issues = async () =>
      Object.fromEntries(
        (await h.el.observe({ vpcId }, ctx())).resources
          .filter((r) => r.issues)
          .map((r) => [`${r.kind} ${r.id}`, r.issues]),
      );
    const allRealized = {
      [`vpc ${vpcId}`]: 'Realized',
      [`network ${web.networkId}`]: 'Realized',
      [`network ${db.networkId}`]: 'Realized',
      [`nic ${w.nicId}`]: 'Realized',
      [`nic ${d.nicId}`]: 'Realized',
      [`acl ${db.networkId}/list`]: 'Realized',
      [`nat ${nat.ruleId}`]: 'Realized',
      [`nat ${web.networkId}/snat`]: 'Realized',
    };
    const tcp = (port: number): TraceFlow => ({ protocol: 'tcp', port });
    const traced = async (from: NicSpec, to: NicSpec, port: number) =>
      (await h.el.trace?.(traceSpec([web, db], nicEnd(from), nicEnd(to), tcp(port)), ctx()))?.outcome;
    const inbound = async () =>
      (
        await h.el.trace?.(
          traceSpec(
            [web, db],
            { kind: 'outside', ip: pub.gateway },
            { kind: 'address', ip: STATIC_IP },
            tcp(8000),
          ),
          ctx(),
        )
      )?.outcome;
    /** What the policy says: web→db 8000 allowed, 22 denied, the static NAT reachable; the trace agrees. */
    const asThePolicySays = async () => {
      expect([await connects(wVm, d.ip, 8000), await traced(w, d, 8000)]).toEqual([true, 'delivered']);
      expect([await connects(wVm, d.ip, 22), await traced(w, d, 22)]).toEqual([false, 'dropped']);
      expect([await connect(pub.ns, STATIC_IP, 8000), await inbound()]).toEqual(['d', 'delivered']);
    };
    expect(await realized()).toEqual(allRealized);
    expect(await issues()).toEqual({});
    await asThePolicySays();

    // 1. The router namespace's ruleset flushed: no filter, no NAT, in the kernel and so for packets.
    const table = (await h.el.observe({ vpcId }, ctx())).resources.find((r) => r.kind === 'nat')?.name;
    await run('ip', ['netns', 'exec', h.names.routerNs(vpcId), 'nft', 'flush', 'ruleset']);
    expect(await issues()).toEqual({
      [`acl ${db.networkId}/list`]: ['the nftables table of the VPC is missing'],
      // The public firewall (src/firewall) went with the flush too: every public-side row says so.
      [`nat ${nat.ruleId}`]: [`the NAT table ${table} is missing`, 'the public firewall table is missing'],
      [`nat ${web.networkId}/snat`]: [
        `the NAT table ${table} is missing`,
        'the public firewall table is missing',
      ],
    });
    expect(await realized()).toEqual({
      ...allRealized,
      [`acl ${db.networkId}/list`]: 'RulesDiffer',
      [`nat ${nat.ruleId}`]: 'RulesDiffer',
      [`nat ${web.networkId}/snat`]: 'RulesDiffer',
    });
    expect([await connects(wVm, d.ip, 22), await traced(w, d, 22)]).toEqual([true, 'delivered']);
    expect([await connect(pub.ns, STATIC_IP, 8000), await inbound()]).toEqual([null, 'dropped']);
    expect(await h.el.applyNetworkAcl?.(dbList, ctx())).toEqual({ adopted: false });
    await h.el.implementNetwork(web, ctx());
    expect(await h.el.applyStaticNat?.(nat, ctx())).toEqual({ adopted: true });
    expect(await realized()).toEqual(allRealized);
    expect(await issues()).toEqual({});
    await asThePolicySays();

    // 2. db's bridge deleted: its ports fall off, nothing reaches d.
    const bridge = h.names.bridge('VLAN', db.isolation.segmentId);
    await run('ip', ['link', 'del', bridge]);
    expect(await issues()).toEqual({
      [`network ${db.networkId}`]: ['the tier bridge is missing'],
      [`nic ${d.nicId}`]: ['the port is not on the tier bridge'],
    });
    expect(await realized()).toEqual({
      ...allRealized,
      [`network ${db.networkId}`]: 'MissingOnHost',
      [`nic ${d.nicId}`]: 'MissingOnHost',
    });
    expect([await connects(wVm, d.ip, 8000), await traced(w, d, 8000)]).toEqual([false, 'dropped']);
    expect((await h.el.implementNetwork(db, ctx())).adopted).toBe(false);
    expect(await realized()).toEqual(allRealized);
    expect(await issues()).toEqual({});
    await asThePolicySays();

    // 3. web's dnsmasq killed: a new VM of web gets no lease until the tier is implemented again.
    const dir = `${h.work}/state/${h.prefix}/${web.networkId}`;
    for (const pid of await processesWith(`${dir}/dnsmasq.conf`)) process.kill(pid, 'SIGKILL');
    const x = nicOf(web, 3, 12);
    await h.el.prepareNic(x, ctx());
    expect(await issues()).toEqual({ [`network ${web.networkId}`]: ['dnsmasq is not running'] });
    const xVm = await attachVm(h.prefix, h.names.nicPeer(x.nicId), 'x');
    expect(await realized()).toEqual({
      ...allRealized,
      [`network ${web.networkId}`]: 'DhcpNotRunning',
      [`nic ${w.nicId}`]: 'DhcpNotRunning',
      [`nic ${x.nicId}`]: 'DhcpNotRunning',
    });
    await expect(dhcp(xVm, h.names.nicPeer(x.nicId), h.work)).rejects.toThrow();
    await h.el.implementNetwork(web, ctx());
    expect(await realized()).toEqual({ ...allRealized, [`nic ${x.nicId}`]: 'Realized' });
    expect(await issues()).toEqual({});
    expect((await dhcp(xVm, h.names.nicPeer(x.nicId), h.work)).ip).toBe(x.ip);
    expect([await connects(xVm, d.ip, 8000), await traced(x, d, 8000)]).toEqual([true, 'delivered']);
    await asThePolicySays();
  });
});
