import { defineConfig } from 'vitest/config';

// MariaDB databases are created and dropped per test file; give hooks room on a busy machine.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000 } });
