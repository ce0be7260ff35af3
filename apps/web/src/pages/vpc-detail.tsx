// VPC page: waits for the vpcs API area.
import { PendingApi } from '../components/pending-api';

export function VpcDetailPage() {
  return <PendingApi title="VPC" area="vpcs" description="Tiers, NICs, calls and negotiation of one VPC." />;
}
