import { describe, expect, it } from 'vitest';
import {
  buildCapabilityMatrix,
  type ManifestView,
  offeringDraftSchema,
  type ProviderView,
  validateOffering,
} from '../src';

const sdn: ManifestView = {
  id: 'sdn',
  isolationMethods: ['VLAN', 'VXLAN'],
  services: {
    Dhcp: {},
    SourceNat: { SupportedSourceNatTypes: ['peraccount'] },
    PortForwarding: {},
    Lb: { SupportedLbAlgorithms: ['roundrobin', 'leastconn'] },
  },
  canEnableIndividualServices: true,
  serviceDependencies: [{ service: 'PortForwarding', requires: ['SourceNat'] }],
};
const grouped: ManifestView = {
  id: 'grp',
  isolationMethods: ['GENEVE'],
  services: { Lb: { SupportedLbAlgorithms: ['roundrobin'] }, Firewall: {} },
  canEnableIndividualServices: false,
  serviceGroups: [['Lb', 'Firewall']],
  serviceDependencies: [],
};
const provider = (over: Partial<ProviderView>): ProviderView => ({
  id: 'p1',
  name: 'sdn-1',
  adapterId: 'sdn',
  physicalNetworkId: 'pn1',
  state: 'Enabled',
  enabledServices: ['Dhcp', 'SourceNat', 'PortForwarding', 'Lb'],
  capabilityOverrides: {},
  tags: ['Gold'],
  isolationMethods: ['VLAN', 'VXLAN', 'GENEVE'],
  ...over,
});
const env = (providers: ProviderView[]) => ({ manifests: [sdn, grouped], providers });
const draft = (over: object) =>
  offeringDraftSchema.parse({ name: 'o', kind: 'network', serviceProviders: { Dhcp: 'sdn' }, ...over });

describe('capability matrix', () => {
  it('gives each empty cell its reason, from adapter to admin to state to labels', () => {
    const m = buildCapabilityMatrix({
      manifests: [sdn],
      providers: [
        provider({
          enabledServices: ['Dhcp', 'Lb'],
          capabilityOverrides: { Lb: { SupportedLbAlgorithms: ['roundrobin'] } },
        }),
        provider({ id: 'p2', name: 'off', state: 'Disabled' }),
        provider({ id: 'p3', name: 'ghost', adapterId: 'gone' }),
      ],
      requiredTags: ['gold'],
    });
    const row = (i: number) => m.rows[i]?.cells ?? [];
    const cell = (i: number, s: string) => row(i).find((c) => c.service === s);
    expect(cell(0, 'Lb')).toEqual({
      service: 'Lb',
      offered: true,
      capabilities: { SupportedLbAlgorithms: ['roundrobin'] },
    });
    expect(cell(0, 'Vpn')).toMatchObject({ offered: false, reason: 'NOT_OFFERED' });
    expect(cell(0, 'SourceNat')).toMatchObject({ offered: false, reason: 'DISABLED' });
    expect(cell(1, 'Dhcp')).toMatchObject({ offered: false, reason: 'PROVIDER_DISABLED' });
    expect(cell(2, 'Dhcp')).toMatchObject({ offered: false, reason: 'ADAPTER_UNAVAILABLE' });
    const mismatch = buildCapabilityMatrix({
      manifests: [sdn],
      providers: [provider({})],
      requiredTags: ['silver'],
    });
    expect(mismatch.rows[0]?.cells.find((c) => c.service === 'Dhcp')).toMatchObject({
      reason: 'LABEL_MISMATCH',
    });
  });
});

describe('offering validation', () => {
  it('accepts an offering every service of which an enabled provider can give', () => {
    const o = draft({
      serviceProviders: { Dhcp: 'sdn', SourceNat: 'sdn', PortForwarding: 'sdn', Lb: 'sdn' },
      tags: ['GOLD'],
      requiredCapabilities: { Lb: { SupportedLbAlgorithms: ['leastconn'] } },
    });
    expect(validateOffering(o, env([provider({})]))).toEqual([]);
  });

  it('rejects a service no enabled provider can give, naming it', () => {
    const problems = validateOffering(
      draft({ serviceProviders: { Dhcp: 'sdn' } }),
      env([provider({ state: 'Disabled' })]),
    );
    expect(problems).toEqual([expect.objectContaining({ kind: 'NO_PROVIDER', service: 'Dhcp' })]);
    expect(problems[0]?.message).toMatch(/Dhcp.*Disabled/);
    const tagged = validateOffering(draft({ tags: ['silver'] }), env([provider({})]));
    expect(tagged[0]).toMatchObject({ kind: 'NO_PROVIDER', service: 'Dhcp' });
    expect(tagged[0]?.message).toMatch(/silver/);
  });

  it('rejects a missing capability value, naming service and capability', () => {
    const o = draft({
      serviceProviders: { Lb: 'sdn' },
      requiredCapabilities: { Lb: { SupportedLbAlgorithms: ['leastconn'] } },
    });
    const narrowed = provider({ capabilityOverrides: { Lb: { SupportedLbAlgorithms: ['roundrobin'] } } });
    expect(validateOffering(o, env([narrowed]))).toEqual([
      expect.objectContaining({
        kind: 'CAPABILITY_MISSING',
        service: 'Lb',
        capabilities: ['SupportedLbAlgorithms'],
      }),
    ]);
  });

  it('rejects PortForwarding without SourceNat and a split service group', () => {
    const pf = validateOffering(draft({ serviceProviders: { PortForwarding: 'sdn' } }), env([provider({})]));
    expect(pf).toEqual([
      expect.objectContaining({
        kind: 'COMBINATION_INVALID',
        service: 'PortForwarding',
        relatedServices: ['SourceNat'],
      }),
    ]);
    const grp = provider({ id: 'g', adapterId: 'grp', enabledServices: ['Lb', 'Firewall'] });
    const split = validateOffering(
      draft({ serviceProviders: { Lb: 'grp' }, isolationMethod: 'geneve' }),
      env([grp]),
    );
    expect(split).toEqual([
      expect.objectContaining({ kind: 'COMBINATION_INVALID', service: 'Lb', relatedServices: ['Firewall'] }),
    ]);
  });

  it('rejects an isolation method the adapter does not support, naming the service', () => {
    const problems = validateOffering(draft({ isolationMethod: 'GENEVE' }), env([provider({})]));
    expect(problems[0]).toMatchObject({ kind: 'ISOLATION_UNSUPPORTED', service: 'Dhcp' });
  });

  it('rejects L3 services on an L2 offering and a VPC offering that is not Isolated', () => {
    const l2 = validateOffering(draft({ guestType: 'L2' }), env([provider({})]));
    expect(l2[0]).toMatchObject({ kind: 'COMBINATION_INVALID', service: 'Dhcp' });
    expect(
      offeringDraftSchema.safeParse({ name: 'v', kind: 'vpc', guestType: 'Shared', serviceProviders: {} })
        .success,
    ).toBe(false);
  });
});
