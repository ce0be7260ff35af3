import { physicalNetworkCreateInput } from '@netplane/domain';
import { describe, expect, it } from 'vitest';
import { emptyPnForm, pnFormFrom, pnInputFrom } from './pn-form-model';

describe('physical network form model', () => {
  it('turns the text fields into an input the domain schema accepts', () => {
    const form = { ...emptyPnForm(), name: 'guest', tags: 'fast, ovn', vlanRanges: '100-199, 300' };
    form.traffic.Guest = { isOn: true, labels: 'kvm=cloudbr1, VMware=vSwitch1' };
    const { input, problems } = pnInputFrom(form);
    expect(problems).toEqual({});
    const parsed = physicalNetworkCreateInput.parse({ ...input, zoneId: 'z1' });
    expect(parsed.vlanRanges).toEqual([
      { start: 100, end: 199 },
      { start: 300, end: 300 },
    ]);
    expect(parsed.trafficTypes).toEqual([{ type: 'Guest', labels: { KVM: 'cloudbr1', VMware: 'vSwitch1' } }]);
  });

  it('reports a label for an unknown hypervisor against its traffic type', () => {
    const form = emptyPnForm();
    form.traffic.Guest = { isOn: true, labels: 'Hyper-X=br0' };
    expect(Object.keys(pnInputFrom(form).problems)).toEqual(['traffic.Guest']);
  });

  const pnBase = {
    name: 'pn',
    isolationMethods: ['VLAN' as const],
    tags: [],
    vlanRanges: [],
    vniRanges: [],
    trafficTypes: [],
  };

  it('round-trips a stored physical network back into the same form text', () => {
    const form = pnFormFrom({
      name: 'pn',
      isolationMethods: ['VLAN'],
      tags: ['a'],
      vlanRanges: [{ start: 5, end: 9 }],
      vniRanges: [],
      trafficTypes: [{ type: 'Management', labels: { KVM: 'cloudbr0' } }],
    });
    expect(form.vlanRanges).toBe('5-9');
    expect(form.traffic.Management).toEqual({ isOn: true, labels: 'KVM=cloudbr0' });
    expect(form.traffic.Guest.isOn).toBe(false);
    expect(form.mtu).toBe('1500');
    expect(pnFormFrom({ ...pnBase, mtu: 9000 }).mtu).toBe('9000');
  });

  it('sends the MTU as a number, and none when the field is empty (the default applies)', () => {
    expect(pnInputFrom({ ...emptyPnForm(), mtu: ' 9000 ' }).input.mtu).toBe(9000);
    expect(pnInputFrom({ ...emptyPnForm(), mtu: '' }).input).not.toHaveProperty('mtu');
  });
});
