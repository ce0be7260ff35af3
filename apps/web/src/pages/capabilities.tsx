// Capability matrix page: waits for the capabilities API area.
import { PendingApi } from '../components/pending-api';

export function CapabilitiesPage() {
  return (
    <PendingApi
      title="Capability matrix"
      area="capabilities"
      description="Which provider offers which service, and why a cell is empty."
    />
  );
}
