import { defineConfig } from "vitest/config";

// `pnpm test:security`: every route × role from the OpenAPI document, secrets out of logs,
// size limits, SSRF and hostile HTML through every output. Not part of `npm test`'s config.
export default defineConfig({
  test: {
    include: ["security/**/*.security.ts"],
    testTimeout: 600_000,
    hookTimeout: 240_000,
    maxWorkers: 2,
  },
});
