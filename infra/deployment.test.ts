import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { parseConfig } from "../packages/config/src/index.ts";
import { connectRedis, createQueues } from "../packages/queue/src/index.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const k8sDir = join(root, "infra/k8s");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** The resource quantities the manifests use: plain or milli cores, Mi or Gi of memory. */
const QUANTITY = /^\d+(\.\d+)?(m|Mi|Gi)?$/;
const mebibytes = (quantity: string) => Number.parseFloat(quantity) * (quantity.endsWith("Gi") ? 1024 : 1);
const millicores = (quantity: string | number) =>
  String(quantity).endsWith("m") ? Number.parseFloat(String(quantity)) : Number(quantity) * 1000;

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field below.
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  resources?: string[];
}

const manifestFiles = readdirSync(k8sDir).filter((file) => file.endsWith(".yaml"));
const manifests: Manifest[] = manifestFiles
  .filter((file) => file !== "kustomization.yaml")
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(k8sDir, file), "utf8")).map((document) => {
      expect(document.errors, file).toEqual([]);
      return document.toJS() as Manifest;
    }),
  );
const ofKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const named = (kind: string, name: string) => ofKind(kind).find((manifest) => manifest.metadata.name === name);

/** The long-running services, from the root scripts `start:<service>` that docs/contract.md names. */
const services = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts)
  .filter((script) => script.startsWith("start:"))
  .map((script) => script.slice("start:".length));

/**
 * The kinds infra/k8s may hold, each with its model from kubernetes-models: the Kubernetes
 * (and KEDA) OpenAPI schemas, checked offline, as kubeconform would.
 */
const MODELS: Record<string, { apiVersion: string; validate(manifest: unknown): void }> = {
  Namespace: { apiVersion: "v1", validate: (m) => new Namespace(m as never).validate() },
  ConfigMap: { apiVersion: "v1", validate: (m) => new ConfigMap(m as never).validate() },
  Secret: { apiVersion: "v1", validate: (m) => new Secret(m as never).validate() },
  Service: { apiVersion: "v1", validate: (m) => new Service(m as never).validate() },
  Deployment: { apiVersion: "apps/v1", validate: (m) => new Deployment(m as never).validate() },
  PodDisruptionBudget: { apiVersion: "policy/v1", validate: (m) => new PodDisruptionBudget(m as never).validate() },
  ScaledObject: { apiVersion: "keda.sh/v1alpha1", validate: (m) => new ScaledObject(m as never).validate() },
  TriggerAuthentication: {
    apiVersion: "keda.sh/v1alpha1",
    validate: (m) => new TriggerAuthentication(m as never).validate(),
  },
};

/** Every metric series the code defines, with the series a histogram adds. */
/** Every series the metrics package declares, in any of its modules (the HTTP series have their own). */
function definedMetrics(): Set<string> {
  const dir = "packages/metrics/src";
  const modules = readdirSync(join(root, dir)).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));
  const source = modules.map((file) => read(`${dir}/${file}`)).join("\n");
  const names = [...source.matchAll(/name: "(babelwire_\w+)"/g)].map((match) => match[1] as string);
  return new Set(names.flatMap((name) => [name, `${name}_bucket`, `${name}_count`, `${name}_sum`]));
}

function metricsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\b(babelwire_[a-z_]+)/g)].map((match) => match[1] as string))];
}

describe("Kubernetes manifests in infra/k8s", () => {
  it("pass the Kubernetes and KEDA schemas, each a known kind with a name in the babelwire namespace", () => {
    expect(manifests.length).toBeGreaterThan(10);
    for (const manifest of manifests) {
      const where = `${manifest.kind}/${manifest.metadata?.name}`;
      const model = MODELS[manifest.kind];
      expect(model?.apiVersion, where).toBe(manifest.apiVersion);
      expect(() => model?.validate(manifest), where).not.toThrow();
      expect(manifest.metadata.name, where).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      if (manifest.kind !== "Namespace") expect(manifest.metadata.namespace, where).toBe("babelwire");
    }
    const kustomization = parse(readFileSync(join(k8sDir, "kustomization.yaml"), "utf8")) as Manifest;
    expect([...(kustomization.resources ?? [])].sort()).toEqual(
      manifestFiles.filter((file) => file !== "kustomization.yaml").sort(),
    );
  });

  it("are checked by a validator that catches a broken manifest", () => {
    const api = structuredClone(named("Deployment", "api"));
    if (!api) throw new Error("no api Deployment");
    api.spec.template.spec.containers[0].livenessProbe.httpGet.port = { wrong: true };
    expect(() => MODELS.Deployment?.validate(api)).toThrow(/livenessProbe/);
    const scaled = structuredClone(ofKind("ScaledObject")[0]);
    delete scaled?.spec.triggers;
    expect(() => MODELS.ScaledObject?.validate(scaled)).toThrow(/triggers/);
  });

  it("give every service a Deployment running it, with probes, resource requests, config and secrets", () => {
    expect(services).toEqual(expect.arrayContaining(["api", "ingestor", "translator", "summarizer", "publisher"]));
    for (const service of services) {
      const deployment = named("Deployment", service);
      expect(deployment, `Deployment ${service}`).toBeDefined();
      const spec = deployment?.spec;
      expect(spec.selector.matchLabels).toEqual(
        expect.objectContaining({ "app.kubernetes.io/name": spec.template.metadata.labels["app.kubernetes.io/name"] }),
      );
      const [container] = spec.template.spec.containers;
      expect(container.command.join(" ")).toBe(`node dist/${service}.js`);
      expect(container.livenessProbe.httpGet.path, service).toBe("/healthz");
      expect(container.readinessProbe.httpGet.path, service).toBe("/readyz");
      expect(container.ports.map((port: { name: string }) => port.name)).toContain(
        container.readinessProbe.httpGet.port,
      );
      expect(container.resources.requests.cpu, service).toBeTruthy();
      expect(container.resources.requests.memory, service).toBeTruthy();
      expect(container.resources.limits.memory, service).toBeTruthy();
      // Quantities Kubernetes accepts, and no request above its limit (the scheduler would refuse the pod).
      const { requests, limits } = container.resources;
      expect(String(requests.cpu), service).toMatch(QUANTITY);
      expect(String(requests.memory), service).toMatch(QUANTITY);
      expect(mebibytes(requests.memory), service).toBeLessThanOrEqual(mebibytes(limits.memory));
      if (limits.cpu !== undefined)
        expect(millicores(requests.cpu), service).toBeLessThanOrEqual(millicores(limits.cpu));
      const sources = container.envFrom.map((from: Record<string, { name: string }>) => Object.keys(from)[0]);
      expect(sources).toEqual(["configMapRef", "secretRef"]);
      expect(named("ConfigMap", container.envFrom[0].configMapRef.name)).toBeDefined();
      expect(named("Secret", container.envFrom[1].secretRef.name)).toBeDefined();
      // Running jobs get time to finish or go back to the queue.
      expect(spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    }
    for (const deployment of ofKind("Deployment")) {
      for (const container of deployment.spec.template.spec.containers) {
        expect(container.livenessProbe, deployment.metadata.name).toBeDefined();
        expect(container.readinessProbe, deployment.metadata.name).toBeDefined();
        expect(container.resources.requests, deployment.metadata.name).toBeDefined();
      }
    }
  });

  it("select existing pods from every Service and PodDisruptionBudget", () => {
    const podLabels = ofKind("Deployment").map((deployment) => deployment.spec.template.metadata.labels);
    const matches = (selector: Record<string, string>) =>
      podLabels.some((labels) => Object.entries(selector).every(([key, value]) => labels[key] === value));
    expect(ofKind("Service").length).toBeGreaterThanOrEqual(services.length);
    for (const service of ofKind("Service")) expect(matches(service.spec.selector), service.metadata.name).toBe(true);
    expect(ofKind("PodDisruptionBudget").length).toBeGreaterThan(0);
    for (const budget of ofKind("PodDisruptionBudget")) {
      expect(matches(budget.spec.selector.matchLabels), budget.metadata.name).toBe(true);
    }
    expect(named("Service", "apertium")).toBeDefined();
  });

  it("hold a configuration the processes accept: ConfigMap and Secret together pass config validation", () => {
    const config = named("ConfigMap", "babelwire-config")?.data ?? {};
    const secret = named("Secret", "babelwire-secrets")?.stringData ?? {};
    expect(Object.keys(config).filter((key) => key in secret)).toEqual([]);
    const parsed = parseConfig({ ...config, ...secret });
    expect(parsed.DATABASE_URL).toMatch(/^postgres:\/\//);
    expect(parsed.APERTIUM_APY_URL).toBe("http://apertium:2737");
    for (const key of ["REDIS_URL", "DATABASE_URL", "ADMIN_TOKEN"]) expect(config, key).not.toHaveProperty(key);
  });

  it("scale translators with KEDA on the BullMQ wait list of the translate queue", async () => {
    const scaled = ofKind("ScaledObject");
    expect(scaled).toHaveLength(1);
    const spec = scaled[0]?.spec;
    expect(spec.scaleTargetRef.name).toBe("translator");
    expect(named("Deployment", spec.scaleTargetRef.name)).toBeDefined();
    const [trigger] = spec.triggers;
    expect(trigger.type).toBe("redis");
    const prefix = named("ConfigMap", "babelwire-config")?.data?.QUEUE_PREFIX;
    expect(prefix).toBe(parseConfig({}).QUEUE_PREFIX);
    expect(trigger.metadata.listName).toBe(`${prefix}:translate:wait`);
    expect(Number(trigger.metadata.listLength)).toBeGreaterThan(0);
    expect(named("ConfigMap", "babelwire-config")?.data).toHaveProperty(trigger.metadata.addressFromEnv);
    expect(named("TriggerAuthentication", trigger.authenticationRef.name)).toBeDefined();

    // The list KEDA reads is where BullMQ keeps waiting translate jobs: proven on real Redis.
    const redis = connectRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
    const testPrefix = `{bwtest-${randomBytes(4).toString("hex")}}`;
    const queues = createQueues(redis, testPrefix);
    try {
      for (const lang of ["es", "ca", "uk"]) {
        await queues.enqueueTranslate({ articleId: randomUUID(), articleVersion: 1, lang });
      }
      const listName = String(trigger.metadata.listName).replace(prefix ?? "", testPrefix);
      expect(await redis.llen(listName)).toBe(3);
    } finally {
      await queues.close();
      const keys = await redis.keys(`${testPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(read("docker-compose.yml")) as {
    services: Record<string, { command?: string[] | string; profiles?: string[]; volumes?: string[] }>;
  };

  it("runs Redis with AOF and noeviction, PostgreSQL, Apertium, optional LibreTranslate and every service", () => {
    const redisConf = read("infra/redis.conf");
    expect(redisConf).toMatch(/^appendonly yes$/m);
    expect(redisConf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(compose.services.redis?.command).toContain("/usr/local/etc/redis/redis.conf");
    expect(compose.services.postgres).toBeDefined();
    expect(compose.services.apertium).toBeDefined();
    expect(compose.services.libretranslate?.profiles).toEqual(["libretranslate"]);
    for (const service of services) {
      expect(compose.services[service]?.command, service).toEqual(["node", `dist/${service}.js`]);
    }
  });

  it("runs Prometheus scraping every service and Grafana with the provisioned dashboard", () => {
    expect(compose.services.prometheus?.volumes).toContain(
      "./infra/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
    );
    expect(compose.services.grafana?.volumes).toEqual(
      expect.arrayContaining(["./infra/grafana/provisioning:/etc/grafana/provisioning:ro"]),
    );
    const prometheus = parse(read("infra/prometheus/prometheus.yml")) as {
      scrape_configs: Array<{ dns_sd_configs?: Array<{ names: string[]; port: number }> }>;
    };
    const scraped = prometheus.scrape_configs.flatMap((job) => job.dns_sd_configs?.flatMap((sd) => sd.names) ?? []);
    expect(scraped.sort()).toEqual([...services].sort());
  });

  const composeCommand = (() => {
    if (spawnSync("docker-compose", ["version"]).status === 0) return ["docker-compose"];
    if (spawnSync("docker", ["compose", "version"]).status === 0) return ["docker", "compose"];
    return undefined;
  })();
  if (!composeCommand) {
    console.warn("docker compose is not installed (apt-get install docker-compose): `config` check skipped");
  }

  it.skipIf(!composeCommand)(
    "is accepted by `docker compose config`, with and without the LibreTranslate profile",
    () => {
      const [command = "", ...args] = composeCommand ?? [];
      const env = { ...process.env, ADMIN_TOKEN: "0123456789abcdef0123456789" };
      for (const profile of [[], ["--profile", "libretranslate"]]) {
        execFileSync(command, [...args, "-f", join(root, "docker-compose.yml"), ...profile, "config", "-q"], {
          env,
          stdio: "pipe",
        });
      }
      const services = execFileSync(
        command,
        [...args, "-f", join(root, "docker-compose.yml"), "config", "--services"],
        {
          env,
          encoding: "utf8",
        },
      );
      expect(services.split("\n")).toEqual(expect.arrayContaining(["prometheus", "grafana", "redis", "postgres"]));
    },
  );
});

describe("Prometheus alerts and the Grafana dashboard", () => {
  it("use only metrics the code defines, and cover the operator's questions", () => {
    const defined = definedMetrics();
    const dashboard = read("infra/grafana/dashboards/babelwire.json");
    const alerts = read("infra/prometheus/alerts.yml");
    for (const name of [...metricsIn(dashboard), ...metricsIn(alerts)]) expect(defined, name).toContain(name);
    for (const needed of [
      "babelwire_queue_jobs",
      "babelwire_queue_oldest_waiting_seconds",
      "babelwire_job_duration_seconds_bucket",
      "babelwire_feed_polls_total",
      "babelwire_articles_ingested_total",
      "babelwire_translations",
      "babelwire_engine_characters_total",
      "babelwire_engine_errors_total",
      "babelwire_engine_circuit_state",
      "babelwire_webhook_deliveries_total",
      "babelwire_source_consecutive_errors",
      "babelwire_http_request_duration_seconds_bucket",
    ]) {
      expect(metricsIn(dashboard), needed).toContain(needed);
    }
    const parsed = JSON.parse(dashboard) as { uid: string; panels: Array<{ datasource?: { uid: string } }> };
    expect(parsed.uid).toBe("babelwire-operations");
    const datasource = parse(read("infra/grafana/provisioning/datasources/prometheus.yml")) as {
      datasources: Array<{ uid: string }>;
    };
    for (const panel of parsed.panels) {
      if (panel.datasource) expect(panel.datasource.uid).toBe(datasource.datasources[0]?.uid);
    }
    expect((parse(alerts) as { groups: unknown[] }).groups.length).toBeGreaterThan(0);
  });
});
