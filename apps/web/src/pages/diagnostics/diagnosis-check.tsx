// "Check connectivity" from a diagnosis: the dialog of the VPC page, for the diagnosed VPC, with the diagnosed NIC as
// the source when the diagnosis is about one. The VPC (its tiers, for the NIC lists) is read when it opens.
import { useQuery } from '@tanstack/react-query';
import { Route } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { CheckConnectivityDialog } from '../vpcs/connectivity/check-dialog';
import type { DiagnosisView } from './diagnosis-card';

export function DiagnosisCheck({ diagnosis: d }: { diagnosis: DiagnosisView }) {
  const trpc = useTRPC();
  // Support triages with it: the check is offered to every role that acts on diagnoses.
  const canRun = useCan('diagnostics.act');
  const [isOpen, setOpen] = useState(false);
  const vpcId = d.vpcId;
  const vpc = useQuery(
    trpc.vpcs.get.queryOptions({ id: vpcId ?? '' }, { enabled: isOpen && Boolean(vpcId) }),
  );
  if (!vpcId || !canRun) return null;
  return (
    <>
      <Button
        size="sm"
        onClick={() => setOpen(true)}
        isBusy={isOpen && vpc.isPending}
        icon={<Route aria-hidden className="size-4" />}
        aria-label={`Check connectivity in VPC ${d.vpcName ?? ''}`.trim()}
      >
        Check connectivity
      </Button>
      {vpc.data && (
        <CheckConnectivityDialog
          isOpen={isOpen}
          onClose={() => setOpen(false)}
          vpc={vpc.data}
          {...(d.targetType === 'nic' ? { prefill: { sourceNicId: d.targetId } } : {})}
        />
      )}
    </>
  );
}
