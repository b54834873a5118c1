import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{model,src,conformance,containers}/**/*.test.ts'],
    // Safety nets, not measurements: a busy CI runner may take minutes for a container suite.
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
