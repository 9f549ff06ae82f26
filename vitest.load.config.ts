import { defineConfig } from "vitest/config";

// `pnpm test:load`: 1,000 sources on one local feed server polled for LOAD_MINUTES (5 by default)
// by one all-in-one process against a redis-server of its own and a fresh PostgreSQL database.
// Too long for `.ci/run`: a separate command.
export default defineConfig({
  test: {
    include: ["load/**/*.load.ts"],
    // Start-up, 1,000 sources added and imported, a minute's warm-up, then the window itself.
    testTimeout: (Number(process.env.LOAD_MINUTES ?? 5) * 60 + 1200) * 1000,
    hookTimeout: 180_000,
    maxWorkers: 1,
  },
});
