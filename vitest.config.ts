import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'app/**/*.test.ts', 'app/**/*.test.tsx', 'e2e/**/*.test.ts', 'packaging/**/*.test.ts', 'vm-assets/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.berth/**'],
    // Integration tests start real engines, registries and containers: give them room, and run
    // files one at a time on this 2-core machine so timings stay honest.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    globalSetup: ['engine/test/global-setup.ts'],
    reporters: ['default', './scripts/vitest-summary-reporter.ts'],
  },
});
