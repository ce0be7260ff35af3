// The plan of a public VLAN in 802.1Q mode, which this test host's kernel cannot run (no 802.1Q): the lines the
// adapter sends for a VLAN's bridge and its uplink sub-interface, adoption, and conflicts, checked without a host.
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../src/context';
import type { Link } from '../src/host-state';
import { namesFor } from '../src/names';
import {
  ensureVlan,
  noPublicSide,
  releaseVlanScript,
  subifTag,
  type VlanHost,
  vlanBridgeTag,
} from '../src/nat/public-vlan';

const c = { names: namesFor('np'), config: { publicUplink: 'eth1', publicBridge: 'br0' } } as unknown as Ctx;
const host = (over: Partial<VlanHost> = {}): VlanHost => ({
  mode: '802.1q',
  bridges: new Map(),
  subifs: new Map(),
  ...over,
});
const up = (ifname: string, ifalias: string, master?: string): Link => ({
  ifname,
  ifalias,
  flags: ['BROADCAST', 'UP'],
  ...(master ? { master } : {}),
});

describe('public VLAN plan (802.1Q mode)', () => {
  it('makes the bridge and the uplink sub-interface on it, then adopts both', () => {
    expect(ensureVlan(c, host(), 120, 'x')).toEqual([
      'link add name npu120 type bridge',
      `link set dev npu120 alias ${vlanBridgeTag(120)}`,
      'link set dev npu120 up',
      'link add link eth1 name eth1.120 type vlan id 120',
      `link set dev eth1.120 alias ${subifTag(120)}`,
      'link set dev eth1.120 master npu120',
      'link set dev eth1.120 up',
    ]);
    const made = host({
      bridges: new Map([[120, up('npu120', vlanBridgeTag(120))]]),
      subifs: new Map([[120, up('eth1.120', subifTag(120), 'npu120')]]),
    });
    expect(ensureVlan(c, made, 120, 'x')).toEqual([]);
    // Bridge-only mode never touches the uplink.
    expect(ensureVlan(c, host({ mode: 'bridge-only' }), 120, 'x')).toHaveLength(3);
  });

  it('refuses a same-named sub-interface or bridge that is not ours', () => {
    const subif = host({
      bridges: new Map([[7, up('npu7', vlanBridgeTag(7))]]),
      subifs: new Map([[7, up('eth1.7', '')]]),
    });
    expect(() => ensureVlan(c, subif, 7, 'Public side')).toThrow(
      expect.objectContaining({
        category: 'RESOURCE_CONFLICT',
        conflict: expect.objectContaining({ name: 'eth1.7' }),
      }),
    );
    const bridge = host({ bridges: new Map([[7, up('npu7', 'someone else')]]) });
    expect(() => ensureVlan(c, bridge, 7, 'Public side')).toThrow(
      expect.objectContaining({ category: 'RESOURCE_CONFLICT' }),
    );
  });

  it('removes the sub-interface and bridge only when tagged ours and no VPC is on the bridge', () => {
    const s = releaseVlanScript(c, 9);
    expect(s).toContain(`ip -j link show master npu9 | grep -q '"ifalias":"netplane:kind=pub,'`);
    expect(s).toContain(`= '${subifTag(9)}' ] && ip link del dev eth1.9`);
    expect(s).toContain('ip link del dev npu9');
  });

  it('says why a public side cannot be made', () => {
    expect(noPublicSide(c, 100)).toBeNull();
    expect(noPublicSide(c, 0)).toMatch(/Invalid public VLAN 0/);
    const bare = { ...c, config: { publicBridge: 'br0' } } as unknown as Ctx;
    expect(noPublicSide(bare, 100)).toMatch(/config publicUplink/);
    expect(noPublicSide(bare, null)).toBeNull();
    expect(noPublicSide({ ...c, config: {} } as unknown as Ctx, null)).toMatch(/config publicBridge/);
  });
});
