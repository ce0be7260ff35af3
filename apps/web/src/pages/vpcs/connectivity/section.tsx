// Connectivity on the VPC page: "Check connectivity" (the dialog), the reachability matrix with the before/after of
// the last ACL change, and the VPC's recent checks. Running a check or a matrix is an operator's (the API's
// connectivity.trace / matrix); reading what was recorded is everyone's.
import { Route } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../../components/button';
import { Card } from '../../../components/page';
import { useCan } from '../../../lib/can';
import type { Vpc } from '../rule-parts';
import { CheckConnectivityDialog } from './check-dialog';
import { ReachabilityMatrix } from './reachability';
import { RecentTraces } from './recent-traces';

export function ConnectivitySection({ vpc }: { vpc: Vpc }) {
  // A check is a triage tool (support too); a matrix runs many checks against the controller (provisioning roles).
  const canCheck = useCan('diagnostics.act');
  const canCompute = useCan('provision');
  const [isChecking, setChecking] = useState(false);
  return (
    <Card
      id="connectivity"
      title="Connectivity"
      actions={
        canCheck && (
          <Button
            size="sm"
            variant="primary"
            onClick={() => setChecking(true)}
            icon={<Route aria-hidden className="size-4" />}
          >
            Check connectivity
          </Button>
        )
      }
    >
      <div className="space-y-6">
        <ReachabilityMatrix vpc={vpc} canRun={canCompute} />
        <RecentTraces vpc={vpc} />
      </div>
      <CheckConnectivityDialog isOpen={isChecking} onClose={() => setChecking(false)} vpc={vpc} />
    </Card>
  );
}
