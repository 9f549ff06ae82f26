export { CIRCUIT_STATES, type CircuitState, createMetrics, type JobOutcome, type Metrics } from "./metrics.ts";
