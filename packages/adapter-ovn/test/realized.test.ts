// checkRealized on a real ovsdb-server with ovn-northd and its Southbound: a VPC with every kind of resource is
// Realized (datapaths, port bindings, logical flows); with northd stopped the bounded wait ends in NorthdNotRunning and
// a restart makes it Realized again; the call is absent without southboundEndpoint and honours its signal.
import { REALIZED_REASONS } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { fullVpc, nbCfg, type Ovn, reasons, startOvn, stopOvn, verdict } from './realized-support';
import { createElement, ctx, waitFor } from './support';

let ovn: Ovn;
beforeAll(async () => {
  ovn = await startOvn();
});
afterAll(async () => {
  await stopOvn(ovn);
});

// Generous: a loaded machine may take seconds to compile; the wait ends as soon as northd has.
const WAIT_MS = 30_000;
/**
 * A check's own deadline outlasts its compile wait: on a loaded machine northd may take seconds, and a reconnect waits
 * out the client's backoff first; the call's deadline must not cut the wait short and read as an aborted call.
 */
const checkCtx = () => ctx(AbortSignal.timeout(4 * WAIT_MS));

describe('checkRealized', () => {
  it('reports every resource of a VPC Realized once northd compiled it, with the same kinds and ids as observe()', async () => {
    const { vpc, net, nics, ids } = await fullVpc(ovn.el);
    const report = await ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: WAIT_MS }, checkCtx());
    if (!report) throw new Error('checkRealized is missing');
    expect(report.overall).toMatchObject({ realized: true, reason: 'Realized' });
    const all = reasons(report);
    expect(Object.values(all).every((r) => r === 'Realized')).toBe(true);
    const n = net.networkId;
    expect(Object.keys(all).sort()).toEqual(
      [
        `vpc ${vpc.vpcId}`,
        `network ${n}`,
        ...nics.map((x) => `nic ${x.nicId}`),
        ...['default-deny', 'egress', 'intra-tier', 'acl:1', 'list'].map((r) => `acl ${n}/${r}`),
        `dhcp ${n}`,
        `nat ${n}/snat`,
        `nat ${ids.staticNat}`,
        `lb ${ids.lb}`,
        `pf ${ids.pf}`,
      ].sort(),
    );
    const observed = async () =>
      (await ovn.el.observe({ vpcId: vpc.vpcId }, ctx())).resources.map((r) => `${r.kind} ${r.id}`).sort();
    await expect.poll(observed, { timeout: 10_000 }).toEqual(Object.keys(all).sort());

    // The evidence names what the Southbound holds: no ovn-controller runs here, so nothing is on a chassis.
    const nic = verdict(report, 'nic', nics[0]?.nicId ?? '');
    expect(nic?.evidence).toEqual([
      `Port_Binding ${names.nicPort(nics[0]?.nicId ?? '')} on datapath ${names.switch(n)}`,
      'no chassis has claimed it yet (no ovn-controller runs this VM)',
    ]);
    expect(verdict(report, 'nat', ids.staticNat)?.evidence).toEqual([
      expect.stringMatching(/^\d+ logical flows? with stage-hint [0-9a-f]{8} \(lr_/),
      `gateway port ${names.gatewayPort(vpc.vpcId)} on gw1 (not in the Southbound Chassis table)`,
      `cr-${names.gatewayPort(vpc.vpcId)} is not claimed by a chassis yet`,
    ]);
    expect(verdict(report, 'vpc', vpc.vpcId)?.evidence?.[0]).toMatch(
      new RegExp(
        `^Datapath_Binding [0-9a-f]{8} \\(tunnel key \\d+\\) for Logical_Router ${names.router(vpc.vpcId)}$`,
      ),
    );

    // Narrowed to the tier: its resources only, never the VPC's router.
    const narrowed = await ovn.el.checkRealized?.(
      { vpcId: vpc.vpcId, networkIds: [n], waitMs: WAIT_MS },
      checkCtx(),
    );
    expect(narrowed?.resources.some((r) => r.kind === 'vpc')).toBe(false);
    expect(narrowed?.resources.length).toBe(report.resources.length - 1);
  });

  it('reports the ACLs and DHCP options of a tier without NICs Realized: they compile to no flow until a port uses them', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await ovn.el.implementVpc(vpc, ctx());
    await ovn.el.implementNetwork(net, ctx());
    const report = await ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: WAIT_MS }, checkCtx());
    expect(new Set(Object.values(reasons(report)))).toEqual(new Set(['Realized']));
    expect(verdict(report, 'acl', `${net.networkId}/default-deny`)).toMatchObject({
      message: 'ACL default-deny applies to no port yet: nothing to compile',
      evidence: [`Port_Group ${names.portGroup(net.networkId)} is empty`],
    });
    expect(verdict(report, 'dhcp', net.networkId)?.message).toBe(
      `DHCP options ${net.cidr} serve no port yet: nothing to compile`,
    );
  });

  it('reports NorthdNotRunning for a change northd did not compile within waitMs, and Realized after a restart', async () => {
    const { vpc, net } = await fullVpc(ovn.el);
    const late = nicSpec(net, 7);
    await ovn.northd.stop();
    try {
      await ovn.el.prepareNic(late, ctx());
      const report = await ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: 200 }, ctx());
      expect(report?.overall).toMatchObject({ realized: false, reason: REALIZED_REASONS.northdNotRunning });
      expect(report?.overall.message).toMatch(
        /^ovn-northd did not compile within 200 ms: NB_Global\.nb_cfg is \d+, NB_Global\.sb_cfg was \d+ and SB_Global\.nb_cfg is \d+$/,
      );
      expect(verdict(report, 'nic', late.nicId)).toMatchObject({
        realized: false,
        reason: 'NorthdNotRunning',
      });
      expect(new Set(Object.values(reasons(report)))).toEqual(new Set(['NorthdNotRunning']));
    } finally {
      await ovn.northd.start();
    }
    const after = await ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: WAIT_MS }, checkCtx());
    expect(after?.overall.realized).toBe(true);
    expect(verdict(after, 'nic', late.nicId)).toMatchObject({ realized: true, reason: 'Realized' });
  });

  it('stops waiting when the signal aborts, with TIMEOUT', async () => {
    const { vpc } = await fullVpc(ovn.el);
    const aborted = new AbortController();
    aborted.abort(new Error('gone'));
    await expect(
      ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: WAIT_MS }, ctx(aborted.signal)),
    ).rejects.toMatchObject({
      category: 'TIMEOUT',
    });

    await ovn.northd.stop();
    try {
      const before = await nbCfg(ovn.server);
      const controller = new AbortController();
      // A minute's wait, cut short: the call is waiting once its nb_cfg bump is visible.
      const pending = ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: 60_000 }, ctx(controller.signal));
      const outcome = pending?.catch((e: unknown) => e);
      await waitFor(
        () => nbCfg(ovn.server),
        (v) => v > before,
      );
      controller.abort(new Error('caller gave up'));
      expect(await outcome).toMatchObject({
        category: 'TIMEOUT',
        message: expect.stringContaining('caller gave up'),
      });
    } finally {
      await ovn.northd.start();
    }
  });

  it('is offered only when the controller names its Southbound database, and says when that is unreachable', async () => {
    const plain = createElement(ovn.server.unixEndpoint, { gatewayChassis: 'gw1' });
    const nowhere = createElement(ovn.server.unixEndpoint, {
      southboundEndpoint: `unix:${ovn.northd.sb.dir}/no-such.sock`,
      connectTimeoutMs: 500,
    });
    try {
      expect(plain.checkRealized).toBeUndefined();
      expect('checkRealized' in plain).toBe(false);
      const { vpc } = await fullVpc(ovn.el);
      const err = await nowhere
        .checkRealized?.({ vpcId: vpc.vpcId, waitMs: 1000 }, ctx())
        .catch((e: unknown) => e);
      expect(err).toMatchObject({
        category: 'UNREACHABLE',
        message: expect.stringContaining('OVN Southbound database unreachable'),
      });
    } finally {
      await plain.close();
      await nowhere.close();
    }
  });
});
