export { createLogger, type Logger } from "./logger.ts";
export { openRuntime, type Runtime } from "./open-runtime.ts";
export { onShutdown } from "./shutdown.ts";
export { configOrExit, runWorkerService, type ServiceParts, startService } from "./worker-service.ts";
