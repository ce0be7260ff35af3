import { defineConfig } from 'vitest/config';

// Real sshd, namespaces, dnsmasq and udhcpc on this machine: a deadline only decides when a failing test gives up.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 120_000, include: ['test/**/*.test.ts'] },
});
