import { defineConfig } from 'vitest/config';

// Real databases (SQLite file and a MariaDB database per test file) and real timers: give hooks room on a busy machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } });
