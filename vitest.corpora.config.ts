import { defineConfig } from "vitest/config";

// `pnpm test:corpora`: the ingest pipeline held against other projects' test suites; not part
// of `npm test`, whose config includes only *.test.ts.
export default defineConfig({
  test: {
    include: ["packages/ingest/corpora/**/*.corpora.ts"],
    globalSetup: ["packages/ingest/corpora/global-setup.ts"],
    testTimeout: 170_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
