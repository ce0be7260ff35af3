// One vitest run over every package (each folder is a project with its own optional vitest.config.ts),
// so `npm test` gets a single total. Per-package runs go through `turbo run test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/server', 'apps/web', 'scripts/bench/ovn'],
  },
});
