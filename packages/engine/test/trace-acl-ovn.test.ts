// Network ACL lists proven by OVN's own pipeline (both dialects): the engine implements a VPC with tiers web and db on a
// real OVN Northbound, lists are created and assigned through the engine's networkAcls commands (what the API's
// networkAcls router calls), ovn-northd compiles the rows and ovn-trace --ct=new sends packets through them. Each test
// sets the lists it needs on both tiers and checks the verdict: delivered to the destination NIC's port, or dropped
// at an ACL stage. trace-ovn.test.ts holds the same-tier, port-security and DHCP verdicts on tiers without a list;
// this file holds them again only where a list could change them (it must not).
import { names, routerPortMac } from '@netplane/adapter-ovn';
import {
  type AclRuleInput,
  aclRuleInputSchema,
  DEFAULT_ALLOW_ACL_ID,
  DEFAULT_DENY_ACL_ID,
} from '@netplane/domain';
import type { TraceVerdict } from '@netplane/ovsdb/testing';
import { beforeAll, expect, it } from 'vitest';
import { implementWithNics } from './edge';
import { describeOvnWorld } from './ovn-world';
import {
  dhcpDiscover,
  explain,
  type Nic,
  type TcpOptions,
  TRACE_PROVIDER,
  tcp,
  trace,
  two,
} from './trace-support';
import { waitForJob } from './world';

const rule = (number: number, over: Partial<AclRuleInput>): AclRuleInput =>
  aclRuleInputSchema.parse({
    number,
    action: 'allow',
    protocol: 'all',
    trafficType: 'Ingress',
    cidrs: ['0.0.0.0/0'],
    ...over,
  });

const port = (p: number) => ({ protocol: 'tcp' as const, portStart: p, portEnd: p });

describeOvnWorld('network ACL lists through OVN', TRACE_PROVIDER, (ovn) => {
  type Tier = { id: string; gateway: string; nics: Nic[] };
  let vpcId = '';
  let web: Tier;
  let db: Tier;
  let lists = 0;

  beforeAll(async () => {
    const engine = ovn.engine;
    const vpc = await engine.createVpc(
      { name: 'acl-trace', zoneId: ovn.w.zoneId, offeringId: ovn.vpcOfferingId, cidr: '10.90.0.0/16' },
      't',
    );
    vpcId = vpc.id;
    const tier = async (name: string, octet: number, count: number): Promise<Tier> => {
      const t = await engine.createTier(
        { vpcId, name, offeringId: ovn.offeringId, cidr: `10.90.${octet}.0/24` },
        't',
      );
      return { id: t.id, gateway: t.gateway, nics: await implementWithNics(engine, t.id, count) };
    };
    web = await tier('web', 1, 2);
    db = await tier('db', 2, 1);
  });

  /** Assigns a list to the tier (a built-in id, or rules for a new list of the VPC) and waits for its apply job. */
  async function use(t: Tier, list: string | AclRuleInput[]) {
    const engine = ovn.engine;
    const listId =
      typeof list === 'string'
        ? list
        : (
            await engine.networkAcls.createList({
              vpcId,
              name: `list-${++lists}`,
              description: '',
              rules: list,
            })
          ).id;
    const { jobId } = await engine.networkAcls.assign(t.id, listId, 't');
    const job = await waitForJob(engine, jobId ?? '');
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  }

  /** TCP from web's first NIC to db's NIC, through the VPC's router (addressed to web's router port). */
  const webToDb = (over: TcpOptions = {}) => {
    const [a] = two(web.nics, 1);
    const [c] = two(db.nics, 1);
    return trace(ovn, tcp(web.id, a, c, { ethDst: routerPortMac(web.id), ...over }));
  };
  const dbPort = () => names.nicPort(two(db.nics, 1)[0].id);

  const expectDelivered = (v: TraceVerdict, portName: string) =>
    expect(v.delivered, explain(v)).toEqual([{ port: portName, type: '' }]);
  /**
   * Dropped by an ACL stage of OVN's pipeline (ls_in_acl* for Egress rules, ls_out_acl* for Ingress), by the flow
   * whose match holds `flow` when given (the rule's own row, not some other drop).
   */
  const expectAclDrop = (v: TraceVerdict, pipeline: 'in' | 'out', flow?: string) => {
    expect(v.delivered, explain(v)).toEqual([]);
    expect(v.dropped?.stage, explain(v)).toMatch(new RegExp(`^ls_${pipeline}_acl`));
    if (flow) expect(v.dropped?.match, explain(v)).toContain(flow);
  };

  it('drops web to db on default_deny, keeps web to web delivered, and delivers web to db on default_allow', async () => {
    await use(web, DEFAULT_DENY_ACL_ID);
    await use(db, DEFAULT_DENY_ACL_ID);
    expectAclDrop(await webToDb(), 'out');
    // The tier's own traffic is never filtered, whatever the list says.
    const [a, b] = two(web.nics);
    expectDelivered(await trace(ovn, tcp(web.id, a, b)), names.nicPort(b.id));

    await use(db, DEFAULT_ALLOW_ACL_ID);
    expectDelivered(await webToDb(), dbPort());
    expectDelivered(await webToDb({ dstPort: 5432 }), dbPort());
  });

  it('delivers what an allow rule lets in and drops the rest of the Ingress no rule matches', async () => {
    await use(web, DEFAULT_DENY_ACL_ID);
    await use(db, [rule(10, { ...port(5432), cidrs: ['10.90.1.0/24'] })]);
    expectDelivered(await webToDb({ dstPort: 5432 }), dbPort());
    expectAclDrop(await webToDb({ dstPort: 80 }), 'out');
  });

  it('drops tcp/22 on a deny rule while tcp/80 still passes the allow after it', async () => {
    await use(web, DEFAULT_DENY_ACL_ID);
    await use(db, [rule(10, { ...port(22), action: 'deny' }), rule(20, { cidrs: ['10.90.1.0/24'] })]);
    expectAclDrop(await webToDb({ dstPort: 22 }), 'out', 'tcp.dst == 22');
    expectDelivered(await webToDb({ dstPort: 80 }), dbPort());
  });

  it("honours Egress rules on the sender's tier: its deny drops at ingress of its own switch", async () => {
    await use(db, DEFAULT_ALLOW_ACL_ID);
    await use(web, [
      rule(10, { ...port(5432), action: 'deny', trafficType: 'Egress', cidrs: ['10.90.2.0/24'] }),
      rule(20, { trafficType: 'Egress' }),
    ]);
    expectAclDrop(await webToDb({ dstPort: 5432 }), 'in', 'ip4.dst == 10.90.2.0/24');
    expectDelivered(await webToDb({ dstPort: 80 }), dbPort());
  });

  it('changes the verdict once the apply job of a switch from default_allow to default_deny has finished', async () => {
    await use(web, DEFAULT_DENY_ACL_ID);
    await use(db, DEFAULT_ALLOW_ACL_ID);
    expectDelivered(await webToDb(), dbPort());
    await use(db, DEFAULT_DENY_ACL_ID);
    expectAclDrop(await webToDb(), 'out');
  });

  it('still drops a spoofed source IP or MAC on default_allow, and still answers DHCP under an Egress deny-all', async () => {
    await use(db, DEFAULT_ALLOW_ACL_ID);
    await use(web, DEFAULT_ALLOW_ACL_ID);
    const [a, b] = two(web.nics);
    // Spoofing another NIC's address of the same tier, and another tier's: port security, before any ACL.
    for (const over of [{ ip4Src: b.ip }, { ip4Src: '10.90.2.77' }, { ethSrc: '02:de:ad:be:ef:01' }]) {
      const v = await webToDb(over);
      expect(v.delivered, explain(v)).toEqual([]);
      expect(v.dropped?.stage, explain(v)).toBe('ls_in_apply_port_sec');
    }
    expectDelivered(await webToDb(), dbPort());

    await use(web, [rule(10, { action: 'deny', trafficType: 'Egress' })]);
    const offer = await trace(ovn, dhcpDiscover(web.id, a));
    expectDelivered(offer, names.nicPort(a.id));
    expect(offer.dhcpOffer, explain(offer)).toMatchObject({
      offerip: a.ip,
      router: web.gateway,
      lease_time: '3600',
      mtu: '1500',
      dns_server: expect.any(String),
    });
  });
});
