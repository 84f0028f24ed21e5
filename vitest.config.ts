import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Most test files wait on real servers (Postgres, Redis, nginx, Chromium), not on the CPU: two at a time
    // even on a 2-core machine (vitest's default there is one). Each file has its own ports and temp dirs.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'postdeploy',
          include: ['test/postdeploy/**/*.postdeploy.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
