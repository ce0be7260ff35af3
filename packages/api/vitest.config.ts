import { defineConfig } from 'vitest/config';

// MariaDB databases are created and dropped per test file; give hooks room on a busy machine. The deadlines only
// decide when a failing test gives up: at load ~30 an auth test (argon2 per login) outlasted 30 s in CI.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } });
