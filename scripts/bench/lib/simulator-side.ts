// Where the boot-storm's simulated controller lives and how the bench reaches its control surface: in this process
// (a hub), or in an adapter process (`npm run bench -- adapters`: the same hub behind the wire protocol, controlled
// over loopback HTTP; scripts/bench/adapters/process-simulator.ts).
import type { AdapterModule } from '@netplane/adapter-sdk';
import {
  type CallRecord,
  createSimulatorAdapter,
  SimulatorHub,
  type SimulatorProfilePatch,
  type SimulatorStatsSummary,
} from '@netplane/adapter-simulator';

export type SimulatorSide = {
  module: AdapterModule;
  setProfile(controllerId: string, patch: SimulatorProfilePatch): Promise<unknown>;
  resetStats(controllerId: string): Promise<void>;
  stats(controllerId: string): Promise<SimulatorStatsSummary>;
  calls(controllerId: string): Promise<CallRecord[]>;
};

export function inProcessSimulator(): SimulatorSide {
  const hub = new SimulatorHub('bench');
  return {
    module: createSimulatorAdapter(hub),
    setProfile: (id, patch) => hub.setProfile(id, patch),
    resetStats: (id) => hub.resetStats(id),
    stats: async (id) => hub.stats(id),
    calls: async (id) => hub.calls(id),
  };
}
