// Infrastructure page: waits for the zones API area.
import { PendingApi } from '../components/pending-api';

export function InfrastructurePage() {
  return (
    <PendingApi
      title="Infrastructure"
      area="zones"
      description="Zones, physical networks, providers and controllers."
    />
  );
}
