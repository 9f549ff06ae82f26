import type { Registry } from "prom-client";

interface Series {
  labels: { method: string; route: string; status: string };
  /** Requests whose duration fell in each bucket (not cumulative), the last past every bound. */
  perBucket: number[];
  sum: number;
  count: number;
}

/** prom-client's view of a metric when it renders the registry. */
interface RenderedMetric {
  name: string;
  help: string;
  type: "counter" | "histogram";
  aggregator: "sum";
  values: Array<{ value: number; labels: Record<string, string | number>; metricName?: string }>;
}

/**
 * HTTP request counts and durations by method, route and status, kept as plain numbers and
 * handed to the registry as `babelwire_http_requests_total` and
 * `babelwire_http_request_duration_seconds` when it is scraped. prom-client's labelled
 * `inc`/`observe` build and hash a label set on every call; for a cached feed answered from
 * memory that was a fifth of our own work on a 304 (bench/README.md, `feed-304`). Here a request
 * costs three map lookups by keys whose hashes are known.
 */
export function registerHttpSeries(registry: Registry, buckets: readonly number[]) {
  const series: Series[] = [];
  // Route, then method, then status: a route pattern is a string whose hash V8 keeps, where a
  // key joined per request would be hashed anew each time.
  const byRoute = new Map<string, Map<string, Map<number, Series>>>();

  function seriesOf(method: string, route: string, status: number): Series {
    let byMethod = byRoute.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      byRoute.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let found = byStatus.get(status);
    if (found === undefined) {
      const labels = { method, route, status: String(status) };
      found = { labels, perBucket: new Array(buckets.length + 1).fill(0), sum: 0, count: 0 };
      byStatus.set(status, found);
      series.push(found);
    }
    return found;
  }

  // Zeroed in place rather than dropped: a recorder bound to a series (`recorder`) keeps
  // counting into the one the registry renders.
  function reset(): void {
    for (const each of series) {
      each.perBucket.fill(0);
      each.sum = 0;
      each.count = 0;
    }
  }

  function record(target: Series, seconds: number): void {
    let index = 0;
    while (index < buckets.length && seconds > (buckets[index] as number)) index++;
    target.perBucket[index] = (target.perBucket[index] ?? 0) + 1;
    target.sum += seconds;
    target.count += 1;
  }

  const requests = {
    name: "babelwire_http_requests_total",
    help: "HTTP requests by method, route pattern and status",
    type: "counter",
    aggregator: "sum",
    get: async (): Promise<RenderedMetric> => ({
      ...requests,
      values: series.map(({ labels, count }) => ({ value: count, labels })),
    }),
    reset,
  } as const;

  const durations = {
    name: "babelwire_http_request_duration_seconds",
    help: "HTTP request latency by method, route pattern and status",
    type: "histogram",
    aggregator: "sum",
    get: async (): Promise<RenderedMetric> => ({ ...durations, values: series.flatMap(histogramLines) }),
    reset,
  } as const;

  function histogramLines({ labels, perBucket, sum, count }: Series): RenderedMetric["values"] {
    const name = durations.name;
    let below = 0;
    const lines: RenderedMetric["values"] = buckets.map((bound, index) => {
      below += perBucket[index] ?? 0;
      return { value: below, labels: { le: bound, ...labels }, metricName: `${name}_bucket` };
    });
    lines.push({ value: count, labels: { le: "+Inf", ...labels }, metricName: `${name}_bucket` });
    lines.push({ value: sum, labels, metricName: `${name}_sum` });
    lines.push({ value: count, labels, metricName: `${name}_count` });
    return lines;
  }

  // prom-client renders any registered object with this shape; its own classes are one kind.
  registry.registerMetric(requests as never);
  registry.registerMetric(durations as never);

  return {
    observe(method: string, route: string, status: number, seconds: number): void {
      record(seriesOf(method, route, status), seconds);
    },
    /** Records into one series without finding it each time, for a path that answers the same way again and again. */
    recorder(method: string, route: string, status: number): (seconds: number) => void {
      const target = seriesOf(method, route, status);
      return (seconds) => record(target, seconds);
    },
  };
}
