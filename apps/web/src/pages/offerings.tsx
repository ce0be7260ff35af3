// Offerings page: waits for the offerings API area.
import { PendingApi } from '../components/pending-api';

export function OfferingsPage() {
  return (
    <PendingApi
      title="Offerings"
      area="offerings"
      description="Network and VPC offerings, validated live against the capability matrix."
    />
  );
}
