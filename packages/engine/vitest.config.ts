import { defineConfig } from 'vitest/config';

// Real databases (SQLite file and a MariaDB database per test file), real OVN processes and real timers. A deadline
// only decides when a test that is already failing gives up (docs/testing.md): the OVN journeys that take 2 s idle
// took up to 60 s with the machine at load 34 (the flake loop beside six other sessions) while working, so one
// generous deadline for every file of the package instead of per-file guesses. Files run side by side like every
// other package's (each has its own databases, hubs and OVN servers): the package took 359 s instead of ~15 min
// serialised at load ~15, all 301 tests passing.
export default defineConfig({ test: { testTimeout: 180_000, hookTimeout: 180_000 } });
