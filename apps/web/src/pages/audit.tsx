// Audit log placeholder.
import { PendingApi } from '../components/pending-api';

export function AuditPage() {
  return <PendingApi title="Audit log" area="audit" description="Who changed what, when." />;
}
