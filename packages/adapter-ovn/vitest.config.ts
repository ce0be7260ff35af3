import { defineConfig } from 'vitest/config';

// Real ovsdb-server and ovn-northd processes: a deadline only decides when a test that is already failing gives up
// (docs/testing.md), so it is generous. The Realized checks wait up to 30 s for northd to compile (their calls' own
// deadlines are longer still); on a loaded CI machine northd took over 15 s once while working.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 180_000, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
