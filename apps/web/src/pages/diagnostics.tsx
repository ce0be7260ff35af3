// Diagnostics page: waits for the diagnostics API area.
import { PendingApi } from '../components/pending-api';

export function DiagnosticsPage() {
  return (
    <PendingApi
      title="Diagnostics"
      area="diagnostics"
      description="Every resource in Error with its diagnosis."
    />
  );
}
