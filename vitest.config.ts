// One vitest run over every package (each folder is a project with its own optional vitest.config.ts),
// so `npm test` gets a single total. Per-package runs go through `turbo run test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one file at a time; most files wait on MariaDB, child processes and
    // ovsdb-server rather than on a CPU, so three run side by side (446 s -> 267 s on the 2-core CI machine). Tests
    // wait on conditions, never on time, so the extra load changes durations, not outcomes (docs/testing.md).
    maxWorkers: 3,
    projects: ['packages/*', 'apps/server', 'apps/web', 'scripts/bench/ovn'],
  },
});
