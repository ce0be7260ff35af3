// The connectivity check against the simulator on both dialects: within a tier (never filtered), between tiers
// (default_deny's fixed rows, a user list's rule, the implicit Ingress default), inbound from outside through a
// static NAT, a port forwarding and an LB rule, outbound through static NAT and source NAT, a port altered behind our
// back dropped by port security, typed refusals for unknown ids and a NIC of another VPC, and every check recorded
// (listed per VPC, read by id, and in the support bundle).
import { type AppError, DEFAULT_ALLOW_ACL_ID, DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import { beforeAll, expect, it, vi } from 'vitest';
import { buildSupportBundle } from '../src/index';
import { aclRule, newList } from './acl-support';
import { icmp, offeringFor, tcp, threeTierVpc } from './connectivity-support';
import { describeWorld } from './describe-world';
import { lbRule } from './edge';
import { waitForJob } from './world';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: AppError) => ({ code: e.code, reason: (e.details as { reason?: string } | undefined)?.reason }),
  );

describeWorld('connectivity checks', {}, (world) => {
  let vpc: Awaited<ReturnType<typeof threeTierVpc>>;
  let other: Awaited<ReturnType<typeof threeTierVpc>>;
  let nat: { id: string; address: string };
  let pfIp: { id: string; address: string };
  let lbIp: { id: string; address: string };

  beforeAll(async () => {
    const { w, engine } = world;
    const offeringId = await offeringFor(w);
    vpc = await threeTierVpc(w, engine, offeringId, 41);
    other = await threeTierVpc(w, engine, offeringId, 42);
    // web takes everything in (default_allow); db only 5432 from web (a user list); app keeps default_deny.
    const ok = async (p: Promise<{ jobId: string | null }>) => {
      const { jobId } = await p;
      if (jobId) expect((await waitForJob(engine, jobId)).state).toBe('succeeded');
    };
    await ok(engine.networkAcls.assign(vpc.web.id, DEFAULT_ALLOW_ACL_ID, 't'));
    const list = await newList(engine, vpc.vpc.id, 'db-in', [
      aclRule(10, { cidrs: ['10.41.1.0/24'], portStart: 5432, portEnd: 5432 }),
    ]);
    await ok(engine.networkAcls.assign(vpc.db.tier.id, list.id, 't'));
    const [vm0, vm1] = vpc.nics;
    if (!vm0 || !vm1) throw new Error('web has two NICs');
    nat = await vpc.acquire();
    pfIp = await vpc.acquire();
    lbIp = await vpc.acquire();
    await ok(engine.enableStaticNat({ nicId: vm0.id, publicIpId: nat.id }, 't'));
    await ok(
      engine.portForwarding.create(
        {
          nicId: vm1.id,
          publicIpId: pfIp.id,
          protocol: 'tcp',
          publicPortStart: 2222,
          publicPortEnd: 2222,
          privatePortStart: 22,
          privatePortEnd: 22,
        },
        't',
      ),
    );
    await ok(engine.createLbRule(lbRule(vpc.web.id, 'www', lbIp.id, [vm0.id, vm1.id]), 't'));
  });

  const trace = (input: Parameters<typeof world.engine.connectivity.trace>[0]) =>
    world.engine.connectivity.trace(input, 'tester');
  const nic = (nicId: string) => ({ kind: 'nic' as const, nicId });
  const web = (i: number) => vpc.nics[i]?.id ?? '';

  it('delivers within a tier without any ACL hop', async () => {
    const t = await trace({
      vpcId: vpc.vpc.id,
      source: nic(web(0)),
      destination: nic(web(1)),
      flow: tcp(22),
    });
    expect(t.result).toMatchObject({
      outcome: 'delivered',
      reason: 'Delivered',
      tool: { name: 'simulator' },
    });
    expect(t.result.hops.map((h) => h.kind)).toEqual(['portSecurity', 'switch', 'deliver']);
    expect(t.result.deliveredTo).toEqual({ nicId: web(1), ip: vpc.nics[1]?.ip, port: 22 });
  });

  it('names the ACL list and rule that allowed or dropped it between tiers, and the implicit default', async () => {
    const dbNic = vpc.db.nics[0]?.id ?? '';
    const allowed = await trace({
      vpcId: vpc.vpc.id,
      source: nic(web(0)),
      destination: nic(dbNic),
      flow: tcp(5432),
    });
    expect(allowed.result.outcome).toBe('delivered');
    expect(allowed.result.hops.map((h) => `${h.kind}:${h.verdict}`)).toEqual([
      'portSecurity:pass',
      'acl:pass',
      'route:pass',
      'acl:pass',
      'deliver:pass',
    ]);
    expect(allowed.result.hops[3]?.ref).toMatchObject({
      type: 'aclRule',
      number: 10,
      action: 'allow',
      trafficType: 'Ingress',
    });
    expect(allowed.result.hops[3]?.summary).toContain('ACL list db-in rule 10');

    const implicit = await trace({
      vpcId: vpc.vpc.id,
      source: nic(web(0)),
      destination: nic(dbNic),
      flow: tcp(22),
    });
    expect(implicit.result).toMatchObject({ outcome: 'dropped', reason: 'AclDenied' });
    expect(implicit.result.hops.at(-1)?.ref).toMatchObject({
      ruleId: null,
      number: null,
      action: 'deny',
      trafficType: 'Ingress',
    });

    const appNic = vpc.app.nics[0]?.id ?? '';
    const denied = await trace({
      vpcId: vpc.vpc.id,
      source: nic(dbNic),
      destination: nic(appNic),
      flow: icmp,
    });
    expect(denied.result.outcome).toBe('dropped');
    expect(denied.result.hops.at(-1)?.ref).toMatchObject({
      listId: DEFAULT_DENY_ACL_ID,
      ruleId: null,
      action: 'deny',
    });
  });

  it('takes outside traffic in through static NAT, port forwarding and an LB rule', async () => {
    /** From a host outside to an address of the VPC (acquired, by id, or any IP) on a TCP port. */
    const fromOutside = (
      destination: { kind: 'publicIp'; publicIpId: string } | { kind: 'ip'; ip: string },
      port: number,
    ) =>
      trace({
        vpcId: vpc.vpc.id,
        source: { kind: 'outside', ip: '192.0.2.77' },
        destination,
        flow: tcp(port),
      });
    const toNat = await fromOutside({ kind: 'publicIp', publicIpId: nat.id }, 80);
    expect(toNat.result).toMatchObject({ outcome: 'delivered', deliveredTo: { nicId: web(0), port: 80 } });
    expect(toNat.result.hops.find((h) => h.kind === 'nat')).toMatchObject({
      ref: { type: 'staticNat' },
      rewrite: { field: 'ip4.dst', from: nat.address, to: vpc.nics[0]?.ip },
    });

    const toPf = await fromOutside({ kind: 'publicIp', publicIpId: pfIp.id }, 2222);
    expect(toPf.result).toMatchObject({ outcome: 'delivered', deliveredTo: { nicId: web(1), port: 22 } });
    expect(toPf.result.hops.find((h) => h.kind === 'nat')?.ref?.type).toBe('portForwarding');
    const wrongPort = await fromOutside({ kind: 'publicIp', publicIpId: pfIp.id }, 23);
    expect(wrongPort.result).toMatchObject({ outcome: 'dropped', reason: 'NoInboundRule' });

    const toLb = await fromOutside({ kind: 'ip', ip: lbIp.address }, 80);
    expect(toLb.result.outcome).toBe('delivered');
    const lbHop = toLb.result.hops.find((h) => h.kind === 'lb');
    expect(lbHop?.ref).toMatchObject({ type: 'lbRule' });
    expect([web(0), web(1)]).toContain(toLb.result.deliveredTo?.nicId);
  });

  it('goes out through the static NAT of its NIC or the source NAT of the VPC', async () => {
    const out = { kind: 'ip' as const, ip: '8.8.8.8' };
    const viaNat = await trace({ vpcId: vpc.vpc.id, source: nic(web(0)), destination: out, flow: icmp });
    expect(viaNat.result.outcome).toBe('delivered');
    expect(viaNat.result.hops.find((h) => h.kind === 'nat')).toMatchObject({
      ref: { type: 'staticNat' },
      rewrite: { to: nat.address },
    });
    const viaSnat = await trace({ vpcId: vpc.vpc.id, source: nic(web(1)), destination: out, flow: tcp(443) });
    expect(viaSnat.result).toMatchObject({
      outcome: 'delivered',
      deliveredTo: { nicId: null, ip: '8.8.8.8', port: 443 },
    });
    expect(viaSnat.result.hops.find((h) => h.kind === 'nat')?.ref?.type).toBe('sourceNat');
  });

  it('drops at port security a port whose address was changed on the controller behind our back', async () => {
    const appNic = vpc.app.nics[0];
    if (!appNic) throw new Error('app has a NIC');
    world.w.hub.tamper(world.w.controllerIds[0] as string, {
      action: 'alter',
      kind: 'nic',
      id: appNic.id,
      attributes: { ip: '10.41.2.250' },
    });
    const t = await trace({
      vpcId: vpc.vpc.id,
      source: nic(appNic.id),
      destination: nic(web(0)),
      flow: tcp(22),
    });
    expect(t.result).toMatchObject({ outcome: 'dropped', reason: 'PortSecurityDenied' });
    expect(t.result.hops[0]).toMatchObject({
      kind: 'portSecurity',
      verdict: 'drop',
      ref: { type: 'nic', nicId: appNic.id },
    });
    world.w.hub.tamper(world.w.controllerIds[0] as string, {
      action: 'alter',
      kind: 'nic',
      id: appNic.id,
      attributes: { ip: appNic.ip },
    });
  });

  it('refuses unknown ids (NOT_FOUND) and a NIC or public IP of another VPC (BAD_INPUT)', async () => {
    const missing = '00000000-0000-4000-8000-000000000bad';
    const flow = tcp(22);
    expect(
      await refusal(trace({ vpcId: missing, source: nic(web(0)), destination: nic(web(1)), flow })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await refusal(trace({ vpcId: vpc.vpc.id, source: nic(missing), destination: nic(web(1)), flow })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await refusal(
        trace({
          vpcId: vpc.vpc.id,
          source: nic(web(0)),
          destination: { kind: 'publicIp', publicIpId: missing },
          flow,
        }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const foreign = other.nics[0]?.id ?? '';
    expect(
      await refusal(trace({ vpcId: vpc.vpc.id, source: nic(web(0)), destination: nic(foreign), flow })),
    ).toEqual({ code: 'BAD_INPUT', reason: 'NIC_OF_ANOTHER_VPC' });
    const foreignIp = await other.acquire();
    expect(
      await refusal(
        trace({
          vpcId: vpc.vpc.id,
          source: nic(web(0)),
          destination: { kind: 'publicIp', publicIpId: foreignIp.id },
          flow,
        }),
      ),
    ).toEqual({ code: 'BAD_INPUT', reason: 'PUBLIC_IP_OF_ANOTHER_VPC' });
  });

  it('records every check: listed newest first per VPC, read by id, in the support bundle, in the call log', async () => {
    const { engine, w } = world;
    const t = await trace({
      vpcId: other.vpc.id,
      source: nic(other.nics[0]?.id ?? ''),
      destination: nic(other.nics[1]?.id ?? ''),
      flow: tcp(80),
    });
    const page = await engine.connectivity.traces(other.vpc.id, { limit: 10 });
    expect(page.items[0]).toEqual(t);
    expect(page.total).toBe(1);
    expect(await engine.connectivity.get(t.id)).toEqual(t);
    expect(await refusal(engine.connectivity.get('00000000-0000-4000-8000-000000000bad'))).toMatchObject({
      code: 'NOT_FOUND',
    });
    const bundle = await buildSupportBundle(w.db.db, other.vpc.id, { now: Date.now() });
    expect(bundle?.connectivityTraces.map((x) => (x as { id: string }).id)).toContain(t.id);
    const calls = await engine.listCalls({ vpcId: other.vpc.id });
    expect(calls.some((c) => (c.request as { op?: string }).op === 'trace' && c.outcome === 'ok')).toBe(true);
  });
});
