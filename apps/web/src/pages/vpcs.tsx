// VPCs page: waits for the vpcs API area.
import { PendingApi } from '../components/pending-api';

export function VpcsPage() {
  return (
    <PendingApi title="VPCs" area="vpcs" description="Virtual private clouds with their tiers and NICs." />
  );
}
