// checkRealized against what northd did not make, on a real ovsdb-server with ovn-northd: NAT/LB/PF of a VPC with no
// gateway chassis (none configured, or the binding deleted by hand) are NoGatewayChassis, and a NIC and a static NAT
// the Southbound never got (SB_Global.nb_cfg advanced behind northd's back, as a northd that skipped them would) are
// PortNotBound and NotCompiled, until northd runs again.
import { randomUUID } from 'node:crypto';
import type { NetworkElement } from '@netplane/adapter-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import { nicSpec } from './fixtures';
import { fullVpc, nbCfg, type Ovn, reasons, startOvn, stopOvn, verdict } from './realized-support';
import { createElement, ctx } from './support';

let ovn: Ovn;
let legacy: NetworkElement;
beforeAll(async () => {
  ovn = await startOvn();
  // Tiers implemented before VPCs had a gateway: source NAT to a controller-wide address, no gateway port.
  legacy = createElement(ovn.server.unixEndpoint, {
    snatExternalIp: '198.51.100.1',
    southboundEndpoint: ovn.northd.sb.unixEndpoint,
  });
});
afterAll(async () => {
  await legacy?.close();
  await stopOvn(ovn);
});

const WAIT_MS = 30_000;
/**
 * A check's own deadline outlasts its compile wait: on a loaded machine northd may take seconds, and a reconnect waits
 * out the client's backoff first; the call's deadline must not cut the wait short and read as an aborted call.
 */
const checkCtx = () => ctx(AbortSignal.timeout(4 * WAIT_MS));

describe('checkRealized of what northd did not make', () => {
  it('reports NAT and LB on a router without a gateway port NoGatewayChassis, the rest Realized', async () => {
    const { vpc, net, ids } = await fullVpc(legacy, false);
    const report = await legacy.checkRealized?.({ vpcId: vpc.vpcId, waitMs: WAIT_MS }, checkCtx());
    const all = reasons(report);
    const inert = [`nat ${net.networkId}/snat`, `nat ${ids.staticNat}`, `lb ${ids.lb}`];
    for (const key of inert) expect(all[key]).toBe('NoGatewayChassis');
    for (const [key, reason] of Object.entries(all))
      if (!inert.includes(key)) expect(reason).toBe('Realized');
    expect(verdict(report, 'lb', ids.lb)).toMatchObject({
      realized: false,
      message: `Load_Balancer ${names.loadBalancer(ids.lb)} never takes effect: router ${names.router(vpc.vpcId)} has no gateway port`,
    });
  });

  it('reports NAT, LB and PF NoGatewayChassis once the gateway chassis binding is deleted by hand', async () => {
    const { vpc, net, ids } = await fullVpc(ovn.el);
    const port = names.gatewayPort(vpc.vpcId);
    await ovn.server.nbctl(['lrp-del-gateway-chassis', port, 'gw1']);
    const report = await ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: WAIT_MS }, checkCtx());
    expect(report?.overall.realized).toBe(true);
    const all = reasons(report);
    for (const key of [`nat ${net.networkId}/snat`, `nat ${ids.staticNat}`, `lb ${ids.lb}`, `pf ${ids.pf}`])
      expect(all[key]).toBe('NoGatewayChassis');
    expect(verdict(report, 'pf', ids.pf)?.message).toBe(
      `Load_Balancer netplane-pf-${ids.pf} never takes effect: gateway port ${port} of router ${names.router(vpc.vpcId)} has no gateway chassis`,
    );
    expect(all[`network ${net.networkId}`]).toBe('Realized');
  });

  it('reports a NIC the Southbound has no binding for PortNotBound and a NAT without flows NotCompiled', async () => {
    const { vpc, net, nics } = await fullVpc(ovn.el);
    const late = nicSpec(net, 9);
    const ruleId = randomUUID();
    await ovn.northd.sync(); // the VPC itself compiled, then nothing more
    await ovn.northd.stop();
    try {
      await ovn.el.prepareNic(late, ctx());
      const nic = nics[0];
      if (!nic) throw new Error('no NIC');
      await ovn.el.applyStaticNat?.(
        {
          vpcId: vpc.vpcId,
          networkId: net.networkId,
          ruleId,
          nicId: late.nicId,
          publicIp: '203.0.113.250',
          privateIp: late.ip,
        },
        ctx(),
      );
      // The value checkRealized's bump will make: the Southbound claims it compiled a state it never saw.
      const next = (await nbCfg(ovn.server)) + 1;
      await ovn.northd.sbctl(['set', 'SB_Global', '.', `nb_cfg=${next}`]);
      const report = await ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: WAIT_MS }, checkCtx());
      expect(report?.overall).toMatchObject({ realized: true });
      expect(verdict(report, 'nic', late.nicId)).toMatchObject({
        realized: false,
        reason: 'PortNotBound',
        message: `port ${names.nicPort(late.nicId)} has no Port_Binding in the Southbound database`,
      });
      expect(verdict(report, 'nat', ruleId)).toMatchObject({
        realized: false,
        reason: 'NotCompiled',
        message: expect.stringMatching(/^NAT dnat_and_snat \S+ compiled to no logical flow$/),
      });
      expect(verdict(report, 'nic', nic.nicId)?.reason).toBe('Realized');
    } finally {
      await ovn.northd.start();
    }
    const after = await ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: WAIT_MS }, checkCtx());
    expect(new Set(Object.values(reasons(after)))).toEqual(new Set(['Realized']));
  });

  it('answers UNREACHABLE, naming the Southbound, when the Southbound server is gone, and recovers when it is back', async () => {
    const { vpc } = await fullVpc(ovn.el);
    // Connected and monitoring first, so the loss happens under an established session.
    expect(
      (await ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: WAIT_MS }, checkCtx()))?.overall.realized,
    ).toBe(true);
    await ovn.northd.stop();
    await ovn.northd.sb.stop();
    try {
      const err = await ovn.el
        .checkRealized?.({ vpcId: vpc.vpcId, waitMs: 500 }, ctx())
        .catch((e: unknown) => e);
      expect(err).toMatchObject({
        category: 'UNREACHABLE',
        message: expect.stringContaining('OVN Southbound database unreachable'),
      });
    } finally {
      await ovn.northd.sb.start();
      await ovn.northd.start();
    }
    const after = await ovn.el.checkRealized?.({ vpcId: vpc.vpcId, waitMs: WAIT_MS }, checkCtx());
    expect(new Set(Object.values(reasons(after)))).toEqual(new Set(['Realized']));
  });
});
