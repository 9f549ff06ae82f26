import { cliHelp, cliTranslate } from "./benchmarks/cli.ts";
import { feedRender } from "./benchmarks/feed-render.ts";
import { feed304, feedServing, feedServingSummaries } from "./benchmarks/feed-serving.ts";
import { ingest } from "./benchmarks/ingest.ts";
import { latency } from "./benchmarks/latency.ts";
import { memory } from "./benchmarks/memory.ts";
import { pipeline } from "./benchmarks/pipeline.ts";
import { pipelineEngine } from "./benchmarks/pipeline-engine.ts";
import { poll304 } from "./benchmarks/poll-304.ts";
import { pushLatency } from "./benchmarks/push-latency.ts";
import { queueOverhead } from "./benchmarks/queue-overhead.ts";
import { retranslate } from "./benchmarks/retranslate.ts";
import { translate } from "./benchmarks/translate.ts";
import { translatorScaling } from "./benchmarks/translator-scaling.ts";
import type { Benchmark } from "./harness.ts";

/** Every benchmark of docs/benchmarks.md, in its order; `null` for those not written yet. */
export const BENCHMARKS: Array<[name: string, benchmark: Benchmark | null]> = [
  ["ingest", ingest],
  ["poll-304", poll304],
  ["translate", translate],
  ["retranslate", retranslate],
  ["feed-serving", feedServing],
  ["feed-serving-summaries", feedServingSummaries],
  ["feed-304", feed304],
  ["feed-render", feedRender],
  ["pipeline", pipeline],
  ["pipeline-engine", pipelineEngine],
  ["queue-overhead", queueOverhead],
  ["latency", latency],
  ["push-latency", pushLatency],
  ["memory", memory],
  ["translator-scaling", translatorScaling],
  ["cli-help", cliHelp],
  ["cli-translate", cliTranslate],
];
