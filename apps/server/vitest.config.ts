import { defineConfig } from 'vitest/config';

// The tests spawn the real bundled server: build it once first (globalSetup), and give process starts time.
export default defineConfig({
  test: {
    globalSetup: ['./test/build-once.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
