// Support triage page: waits for the support API area.
import { PendingApi } from '../components/pending-api';

export function TriagePage() {
  return (
    <PendingApi title="Support triage" area="support" description="Failed or stuck VPCs, oldest first." />
  );
}
