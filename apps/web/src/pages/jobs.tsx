// Jobs page: waits for the jobs API area.
import { PendingApi } from '../components/pending-api';

export function JobsPage() {
  return <PendingApi title="Jobs" area="jobs" description="Durable jobs and their progress." />;
}
