// NetworkACL lists on a real router host, proven with TCP connections between "VM" namespaces of two tiers: the
// list's order decides, allow is stateful (the replies of an allowed connection pass a tier whose Ingress denies
// everything), default_deny blocks, a ruleset flushed by hand is drift in observe() and applying again repairs it.
import { randomUUID } from 'node:crypto';
import {
  aclListResourceId,
  aclRulesDigest,
  type NetworkAclSpec,
  type NetworkSpec,
} from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { run } from '../src/testing';
import { connects, ctx, list, nicOf, rule, serve, tier, useHost, vm } from './fixtures';

const h = useHost('acl');
const vpcId = randomUUID();
const defaultDeny = (n: NetworkSpec) =>
  list(n, 'default_deny', [rule(1, { action: 'deny', protocol: 'all' })]);

describe('network ACL lists on a real router host, with packets', () => {
  it('allows tcp/5432 web→db, denies tcp/22, keeps replies, blocks on default_deny, and repairs a flush', async () => {
    const [web, db] = [tier(vpcId, 1, h.vlan), tier(vpcId, 2, h.vlan + 1)];
    await h.el.implementVpc({ vpcId, name: 'acl', cidr: '10.7.0.0/16' }, ctx());
    for (const n of [web, db]) await h.el.implementNetwork(n, ctx());
    const [w, d] = [nicOf(web, 1), nicOf(db, 2)];
    for (const n of [w, d]) await h.el.prepareNic(n, ctx());
    const [wVm, dVm] = [await vm(h, w, 'web'), await vm(h, d, 'db')];
    await serve(dVm, [5432, 22]);
    // No list yet: the tiers route freely.
    expect(await connects(wVm, d.ip, 22)).toBe(true);

    // db: 5432 from web allowed (10), 22 denied (20) before the allow-all (30) that would let it in: first match.
    const dbList = list(db, 'db-acl', [
      rule(10, { portStart: 5432, portEnd: 5432, cidrs: [web.cidr] }),
      rule(20, { action: 'deny', portStart: 22, portEnd: 22 }),
      rule(30, { protocol: 'all' }),
    ]);
    expect(await h.el.applyNetworkAcl?.(dbList, ctx())).toEqual({ adopted: false });
    expect(await h.el.applyNetworkAcl?.(dbList, ctx())).toEqual({ adopted: true });
    // web denies every Ingress: the SYN-ACKs of its own connections still come back (stateful).
    expect(await h.el.applyNetworkAcl?.(defaultDeny(web), ctx())).toEqual({ adopted: false });
    expect(await connects(wVm, d.ip, 5432)).toBe(true);
    expect(await connects(wVm, d.ip, 22)).toBe(false);

    const held = async () => (await h.el.observe({ vpcId }, ctx())).resources.filter((r) => r.kind === 'acl');
    const seen = await held();
    expect(seen.map((r) => r.id).sort()).toEqual(
      [aclListResourceId(web.networkId), aclListResourceId(db.networkId)].sort(),
    );
    expect(seen.find((r) => r.id === aclListResourceId(db.networkId))).toMatchObject({
      attributes: { aclList: 'db-acl', aclListName: 'db-acl list', aclRules: aclRulesDigest(dbList.rules) },
    });
    expect(seen.filter((r) => r.issues)).toEqual([]);

    // Egress: web may not open 5432 anywhere; db's Ingress would allow it, web's Egress decides first.
    const webEgress = list(web, 'web-egress', [
      rule(1, { action: 'deny', trafficType: 'Egress', portStart: 5432, portEnd: 5432 }),
    ]);
    await h.el.applyNetworkAcl?.(webEgress, ctx());
    expect(await connects(wVm, d.ip, 5432)).toBe(false);
    await h.el.applyNetworkAcl?.(defaultDeny(web), ctx());
    expect(await connects(wVm, d.ip, 5432)).toBe(true);

    // db switched to default_deny: 5432 is blocked too.
    expect(await h.el.applyNetworkAcl?.(defaultDeny(db), ctx())).toEqual({ adopted: false });
    expect(await connects(wVm, d.ip, 5432)).toBe(false);

    // Someone flushes the router's ruleset: drift in observe (and the filter really is gone); applying repairs.
    await run('ip', ['netns', 'exec', h.names.routerNs(vpcId), 'nft', 'flush', 'ruleset']);
    const drift = await held();
    expect(drift.map((r) => r.issues)).toEqual([
      ['the nftables table of the VPC is missing'],
      ['the nftables table of the VPC is missing'],
    ]);
    expect(await connects(wVm, d.ip, 5432)).toBe(true);
    for (const spec of [defaultDeny(db), defaultDeny(web)]) {
      expect(await h.el.applyNetworkAcl?.(spec, ctx())).toEqual({ adopted: false });
    }
    expect((await held()).filter((r) => r.issues)).toEqual([]);
    expect(await connects(wVm, d.ip, 5432)).toBe(false);

    // A tier destroyed takes its chains out of the VPC's table; the other tier's list stays in force.
    await h.el.shutdownNetwork(web, ctx());
    await h.el.destroyNetwork(web, ctx());
    expect((await held()).map((r) => r.id)).toEqual([aclListResourceId(db.networkId)]);
    const { stdout } = await run('ip', ['netns', 'exec', h.names.routerNs(vpcId), 'nft', 'list', 'ruleset']);
    expect(stdout).not.toContain(web.networkId);
    expect(stdout).toContain(`netplane:net=${db.networkId},list=default_deny`);
    await h.el.shutdownNetwork(db, ctx());
    await h.el.destroyNetwork(db, ctx());
    await h.el.destroyVpc({ vpcId }, ctx());
    expect(await held()).toEqual([]);
  });

  it('handles NetworkACL, and refuses list values that could reach the nft script as INVALID_REQUEST, sending nothing', async () => {
    const n = tier(vpcId, 3, h.vlan + 2);
    const good = list(n, 'l', [rule(1, { portStart: 80, portEnd: 80 })]);
    const bads: NetworkAclSpec[] = [
      { ...good, listId: 'l" ; flush ruleset' },
      list(n, 'l', [rule(1, { cidrs: ['10.0.0.0/8" drop'] })]),
      list(n, 'l', [rule(1, { ruleId: 'a"b' })]),
      list(n, 'l', [rule(1, {}), rule(1, {})]),
      list(n, 'l', [rule(1, { portStart: 90, portEnd: 80 })]),
      list(n, 'l', [rule(1, { protocol: 'sctp' as never })]),
      list(n, 'l', [rule(1, { cidrs: [] })]),
    ];
    expect(await h.el.canHandle({ network: n, service: 'NetworkACL' }, ctx())).toEqual({ canHandle: true });
    expect((await h.el.canHandle({ network: n, service: 'Lb' }, ctx())).canHandle).toBe(false);
    const before = h.el.roundTrips();
    for (const spec of bads) {
      const err = await h.el.applyNetworkAcl?.(spec, ctx()).catch((e: unknown) => e);
      expect(err).toMatchObject({ category: 'INVALID_REQUEST' });
    }
    expect(h.el.roundTrips()).toBe(before);
  });
});
