// The ovn-trace helper on a real ovn-northd: a switch made with ovn-nbctl, then verdicts the helper must read right
// (delivered, dropped by port security, dropped by an ACL, an unknown destination, a DHCP offer), so tests built on
// it (engine, adapter, later ACL and NAT) can trust what it says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type NorthdHandle,
  type OvsdbServerHandle,
  ovnTrace,
  startNorthd,
  startOvsdbServer,
  type TracePacket,
} from '../src/testing';

const A = { port: 'a', mac: '02:00:00:00:00:0a', ip: '10.0.0.10' };
const B = { port: 'b', mac: '02:00:00:00:00:0b', ip: '10.0.0.11' };

const tcpAtoB = (dstPort: number, over: Partial<TracePacket> = {}): TracePacket =>
  ({
    datapath: 'sw',
    inport: A.port,
    ethSrc: A.mac,
    ethDst: B.mac,
    kind: 'ip4',
    ip4Src: A.ip,
    ip4Dst: B.ip,
    proto: 'tcp',
    dstPort,
    ...over,
  }) as TracePacket;

describe('ovnTrace', () => {
  let nb: OvsdbServerHandle;
  let northd: NorthdHandle;

  beforeAll(async () => {
    nb = await startOvsdbServer();
    northd = await startNorthd(nb);
    await nb.nbctl(['ls-add', 'sw']);
    for (const p of [A, B]) {
      await nb.nbctl(['lsp-add', 'sw', p.port]);
      await nb.nbctl(['lsp-set-addresses', p.port, `${p.mac} ${p.ip}`]);
      await nb.nbctl(['lsp-set-port-security', p.port, `${p.mac} ${p.ip}`]);
    }
    // tcp/22 to b is dropped by an ACL; everything else passes.
    await nb.nbctl(['acl-add', 'sw', 'to-lport', '1000', `outport == "${B.port}" && tcp.dst == 22`, 'drop']);
    const dhcp = (
      await nb.nbctl([
        'create',
        'DHCP_Options',
        'cidr=10.0.0.0/24',
        'options:server_id=10.0.0.1',
        'options:server_mac=02:00:00:00:00:01',
        'options:router=10.0.0.1',
        'options:lease_time=3600',
        'options:mtu=1442',
        'options:dns_server={192.0.2.1, 192.0.2.2}',
      ])
    ).trim();
    await nb.nbctl(['lsp-set-dhcpv4-options', A.port, dhcp]);
  });
  afterAll(async () => {
    await northd?.dispose();
    await nb?.dispose();
  });

  it('reads a delivery to the destination port', async () => {
    const v = await ovnTrace(northd, tcpAtoB(80));
    expect(v.delivered, v.raw).toEqual([{ port: B.port, type: '' }]);
    expect(v.dropped).toBeUndefined();
    expect(v.stages.map((s) => s.stage)).toContain('ls_in_l2_lkup');
  });

  it('reads a drop by port security, naming the stage', async () => {
    const v = await ovnTrace(northd, tcpAtoB(80, { ip4Src: '10.0.0.99' } as Partial<TracePacket>));
    expect(v.delivered, v.raw).toEqual([]);
    expect(v.dropped, v.raw).toMatchObject({ stage: 'ls_in_apply_port_sec', why: 'drop;' });
  });

  it('reads a drop by an ACL, with its match', async () => {
    const v = await ovnTrace(northd, tcpAtoB(22));
    expect(v.delivered, v.raw).toEqual([]);
    expect(v.dropped?.stage, v.raw).toBe('ls_out_acl');
    expect(v.dropped?.match, v.raw).toContain('tcp.dst == 22');
  });

  it('reads a unicast to an unknown MAC as not delivered', async () => {
    const v = await ovnTrace(northd, tcpAtoB(80, { ethDst: '02:00:00:00:00:99' }));
    expect(v.delivered, v.raw).toEqual([]);
    expect(v.dropped, v.raw).toBeDefined();
  });

  it('reads the DHCP offer of a DISCOVER and its delivery back to the asking port', async () => {
    const v = await ovnTrace(northd, {
      datapath: 'sw',
      inport: A.port,
      ethSrc: A.mac,
      ethDst: 'ff:ff:ff:ff:ff:ff',
      kind: 'dhcpDiscover',
    });
    expect(v.delivered, v.raw).toEqual([{ port: A.port, type: '' }]);
    expect(v.dhcpOffer, v.raw).toEqual({
      offerip: A.ip,
      dns_server: '{192.0.2.1, 192.0.2.2}',
      lease_time: '3600',
      mtu: '1442',
      netmask: '255.255.255.0',
      router: '10.0.0.1',
      server_id: '10.0.0.1',
    });
  });
});
