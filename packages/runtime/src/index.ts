export { type Activity, createActivity } from "./activity.ts";
export { createLogger, type Logger, logFormat } from "./logger.ts";
export { openRuntime, type Runtime } from "./open-runtime.ts";
export { type CheckResult, checkReadiness, type Readiness } from "./readiness.ts";
export { onShutdown } from "./shutdown.ts";
export { serveWorkerEndpoints, type WorkerEndpoints } from "./worker-endpoints.ts";
export { configOrExit, runWorkerService, type ServiceParts, startService } from "./worker-service.ts";
