import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
