import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "services/*/src/**/*.test.ts", "infra/**/*.test.ts", "scripts/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests share one Redis and spawn Apertium: two files at a time suits this 2-core machine.
    maxWorkers: 2,
  },
});
