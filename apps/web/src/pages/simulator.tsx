// Simulator page: waits for the simulator API area.
import { PendingApi } from '../components/pending-api';

export function SimulatorPage() {
  return (
    <PendingApi title="Simulator" area="simulator" description="Fault injection per simulated controller." />
  );
}
