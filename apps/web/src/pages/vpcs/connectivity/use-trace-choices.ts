// What the check's lists offer: every NIC of the VPC's tiers (a page of up to 200 per tier, enough to pick from; the
// rest are found by typing in the tier's own NIC table) and the VPC's acquired public addresses.
import { useQueries, useQuery } from '@tanstack/react-query';
import type { Outputs } from '../../../lib/api-types';
import { useTRPC } from '../../../lib/trpc';
import type { NicChoice, PublicIpChoice } from './trace-form';

type Vpc = Pick<Outputs['vpcs']['get'], 'id' | 'tiers'>;

export function useTraceChoices(vpc: Vpc, isEnabled: boolean) {
  const trpc = useTRPC();
  const pages = useQueries({
    queries: vpc.tiers.map((t) =>
      trpc.nics.list.queryOptions({ tierId: t.id, limit: 200, sort: 'ipIndex' }, { enabled: isEnabled }),
    ),
  });
  const ips = useQuery(
    trpc.publicIps.list.queryOptions({ vpcId: vpc.id, limit: 200 }, { enabled: isEnabled }),
  );
  const nics: NicChoice[] = vpc.tiers.flatMap((t, i) =>
    (pages[i]?.data?.items ?? [])
      .filter((n) => n.ip)
      .map((n) => ({ id: n.id, tierName: t.name, vmName: n.vmName, ip: n.ip ?? '' })),
  );
  const publicIps: PublicIpChoice[] = (ips.data?.items ?? []).map((p) => ({ id: p.id, address: p.address }));
  return {
    nics,
    publicIps,
    isPending: pages.some((p) => p.isPending) || ips.isPending,
    error: pages.find((p) => p.error)?.error ?? ips.error,
  };
}
