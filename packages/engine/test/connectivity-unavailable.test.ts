// A connectivity check that cannot run answers outcome `unavailable` with a reason, and is recorded like any other:
// the tier's Connectivity element has no trace() (TraceUnsupported), or no tier of the VPC is implemented yet
// (NotImplemented). Both dialects; the adapter without trace() is the simulator with the call taken away.
import { expect, it, vi } from 'vitest';
import { tcp } from './connectivity-support';
import { describeWorld, type SuiteWorld } from './describe-world';
import { implementWithNics } from './edge';
import { simulatorWithout } from './faults';
import { vpcWithTier } from './world';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const world = {} as SuiteWorld;
const noTrace = simulatorWithout('trace', () => world.w.hub);

describeWorld(
  'connectivity checks that cannot run',
  { extraAdapters: [{ id: 'notrace', status: 'Fully Loaded', module: noTrace }] },
  (suite) => {
    it('answers TraceUnsupported for an element without trace(), and NotImplemented before any tier is', async () => {
      Object.assign(world, suite);
      const { w, engine } = suite;
      await w.addController(await w.addProvider({ name: 'notrace', adapterId: 'notrace' }));
      const offeringId = await w.addOffering({
        kind: 'network',
        services: { Connectivity: 'notrace', Dhcp: 'notrace' },
      });
      const { vpc, tier } = await vpcWithTier(w, engine, '10.51.0.0/16', '10.51.1.0/24', offeringId);
      const outside = { kind: 'outside' as const, ip: '192.0.2.1' };
      const early = await engine.connectivity.trace(
        { vpcId: vpc.id, source: outside, destination: { kind: 'ip', ip: '10.51.1.10' }, flow: tcp(22) },
        't',
      );
      expect(early.result).toMatchObject({ outcome: 'unavailable', reason: 'NotImplemented', hops: [] });
      const [a, b] = await implementWithNics(engine, tier.id, 2);
      const t = await engine.connectivity.trace(
        {
          vpcId: vpc.id,
          source: { kind: 'nic', nicId: a?.id ?? '' },
          destination: { kind: 'nic', nicId: b?.id ?? '' },
          flow: tcp(22),
        },
        't',
      );
      expect(t.result).toMatchObject({ outcome: 'unavailable', reason: 'TraceUnsupported' });
      expect(t.result.message).toContain('notrace');
      const listed = await engine.connectivity.traces(vpc.id, { limit: 10 });
      expect(listed.items.map((x) => x.result.reason)).toEqual(['TraceUnsupported', 'NotImplemented']);
    });
  },
);
