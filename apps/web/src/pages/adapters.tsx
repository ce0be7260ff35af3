// Adapters page: waits for the adapters API area.
import { PendingApi } from '../components/pending-api';

export function AdaptersPage() {
  return (
    <PendingApi
      title="Adapters"
      area="adapters"
      description="Loaded adapters, their versions, services and capabilities."
    />
  );
}
