import { defineConfig } from "vitest/config";

// `pnpm test:cluster`: a Redis Cluster of three masters and three replicas on 127.0.0.1:7100–7105
// (started once for the suite in global-setup.ts), and each service as its own process against it
// and a fresh PostgreSQL database. Not part of `npm test`'s config.
export default defineConfig({
  test: {
    include: ["cluster/**/*.cluster.ts"],
    globalSetup: ["cluster/support/global-setup.ts"],
    testTimeout: 420_000,
    hookTimeout: 180_000,
    // One cluster on fixed ports: the files take turns on it.
    fileParallelism: false,
    maxWorkers: 1,
  },
});
