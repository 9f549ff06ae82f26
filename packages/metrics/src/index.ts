export {
  CIRCUIT_STATES,
  type CircuitState,
  createMetrics,
  type EngineQualityReading,
  type JobOutcome,
  type Metrics,
  type QueueStatusReading,
  type SourceHealthReading,
} from "./metrics.ts";
