// Dashboard: counts by state, failing VPCs, controller health, call rates and running jobs.
import { PendingApi } from '../components/pending-api';

export function DashboardPage() {
  return (
    <PendingApi
      title="Dashboard"
      area="vpcs"
      description="Counts by state, failing VPCs, controller health, calls per minute and running jobs."
    />
  );
}
