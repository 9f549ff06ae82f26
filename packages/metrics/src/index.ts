export {
  CIRCUIT_STATES,
  type CircuitState,
  createMetrics,
  type JobOutcome,
  type Metrics,
  type QueueStatusReading,
  type SourceHealthReading,
} from "./metrics.ts";
