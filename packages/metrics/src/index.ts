export {
  CIRCUIT_STATES,
  createMetrics,
  type EngineQualityReading,
  type Metrics,
  type QueueStatusReading,
  type SourceHealthReading,
} from "./metrics.ts";
