// The OVN benchmark's own test (scripts/ovn-local.sh against the real stack): npx vitest run --root scripts/bench/ovn
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
