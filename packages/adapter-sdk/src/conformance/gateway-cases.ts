// Conformance case of the VPC gateway: an element whose controller has no gateway configured (OVN: no gatewayChassis)
// declines SourceNat, StaticNat and Lb at negotiation with a reason, even for a spec with the whole public side, so
// no tier is implemented without its way out; services that stay inside the VPC are still accepted. Runs when the
// harness gives elementWithoutGateway.
import { expect, it, type TestContext } from 'vitest';
import type { NetworkSpec } from '../element';
import type { KitState } from './public-services';

const GATEWAY_SERVICES = ['SourceNat', 'StaticNat', 'Lb'] as const;

export function gatewayCases(state: () => KitState): void {
  it('declines SourceNat, StaticNat and Lb with a reason when the controller has no gateway', async (ctx: TestContext) => {
    const { h, f } = state();
    if (!h.elementWithoutGateway) return ctx.skip();
    const offered = GATEWAY_SERVICES.filter((s) => !h.manifest || h.manifest.services[s] !== undefined);
    const el = await h.elementWithoutGateway();
    try {
      const network: NetworkSpec = {
        ...f.network(f.vpc()),
        sourceNatIp: '203.0.113.2',
        publicNetwork: { cidr: '203.0.113.0/24', gateway: '203.0.113.1', vlan: null, trafficLabel: 'public' },
      };
      for (const service of offered) {
        const verdict = await el.canHandle(
          { network: { ...network, services: [service] }, service },
          f.ctx(),
        );
        expect(verdict, service).toMatchObject({ canHandle: false, reason: expect.stringMatching(/\S/) });
      }
      const inside = {
        network: { ...network, services: ['Connectivity' as const] },
        service: 'Connectivity' as const,
      };
      expect(await el.canHandle(inside, f.ctx())).toEqual({ canHandle: true });
    } finally {
      await el.close();
    }
  });
}
