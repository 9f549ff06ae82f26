import { defineConfig } from "vitest/config";

// `pnpm test:faults`: real `babelwire start` processes against a redis-server of the suite's own
// and a fresh PostgreSQL database each, through a crash, a Redis restart, a database outage and
// hostile feed servers. Not part of `npm test`'s config.
export default defineConfig({
  test: {
    include: ["faults/**/*.faults.ts"],
    testTimeout: 420_000,
    hookTimeout: 120_000,
    // Each file runs a whole system with Apertium; two at a time is what 2 cores carry.
    maxWorkers: 2,
  },
});
