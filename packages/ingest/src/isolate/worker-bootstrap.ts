import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** tsx's ESM API; `require.resolve` would answer its CommonJS build, whose hooks do not apply to `import`. */
function tsxEsmApi(): string {
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve("tsx/package.json"));
  return pathToFileURL(path.join(tsxRoot, "dist/esm/api/index.mjs")).href;
}

/**
 * The code of a worker thread (`new Worker(code, { eval: true })`) that runs a TypeScript module.
 * A worker does not inherit the TypeScript loader, so it registers tsx's before importing the
 * module, then posts `{ ready: true }`: start-up is not part of any task's time.
 */
export function workerBootstrap(module: URL): string {
  // Built JavaScript (the production bundle) needs no loader, and tsx is not installed there.
  if (module.pathname.endsWith(".js")) {
    return `
const { parentPort } = require("node:worker_threads");
import(${JSON.stringify(module.href)}).then(() => parentPort.postMessage({ ready: true }));
`;
  }
  return `
const { parentPort } = require("node:worker_threads");
import(${JSON.stringify(tsxEsmApi())})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); })
  .then(() => parentPort.postMessage({ ready: true }));
`;
}
