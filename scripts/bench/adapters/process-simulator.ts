// Starts the simulator out of process through the real runtime (@netplane/adapter-runtime) and hands the benches a
// SimulatorSide: the proxied module plus the child's own hub, controlled over its loopback HTTP port.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProcessAdapter, startProcessAdapter } from '@netplane/adapter-runtime';
import { createRemoteSimulatorControl } from '@netplane/adapter-simulator';
import type { SimulatorSide } from '../boot-storm';

const CHILD = join(import.meta.dirname, 'simulator-child.ts');
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export type ProcessSimulator = SimulatorSide & { adapter: ProcessAdapter; stop(): Promise<void> };

export async function startProcessSimulator(): Promise<ProcessSimulator> {
  const dir = mkdtempSync(join(tmpdir(), 'netplane-bench-sim-'));
  const file = join(dir, 'control-url');
  const adapter = await startProcessAdapter({
    command: process.execPath,
    args: ['--import', 'tsx', CHILD, '--control-file', file],
    cwd: import.meta.dirname,
    logger: silent,
  });
  // The child writes the file before it answers the handshake, so it exists once startProcessAdapter resolved.
  const control = createRemoteSimulatorControl(readFileSync(file, 'utf8'));
  return {
    adapter,
    module: adapter.module,
    setProfile: (id, patch) => control.setProfile(id, patch),
    resetStats: (id) => control.resetStats(id),
    stats: async (id) => {
      const summary = await control.getSummary(id);
      if (!summary) throw new Error(`the child simulator does not know controller ${id}`);
      return summary.stats;
    },
    calls: (id) => control.calls(id),
    async stop() {
      await adapter.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
