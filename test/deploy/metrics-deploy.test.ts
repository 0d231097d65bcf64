import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createKonsoleBus } from "@kon/konsole/events/bus";
import { createKonsoleMetrics } from "@kon/konsole/metrics/konsole-metrics";
import { createKonuiBus } from "@kon/konui/events/bus";
import { createKonuiMetrics } from "@kon/konui/metrics/konui-metrics";
import type { HotStatus } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// The metrics profile checked on paper: files that parse, scrape targets that are the services'
// real ports, and a dashboard whose every query names metrics the services really export.
const root = path.resolve(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

interface ComposeService {
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  secrets?: string[];
  depends_on?: string[];
}
const compose = parse(read("docker-compose.yml")) as {
  services: Record<string, ComposeService>;
  secrets: Record<string, { environment?: string }>;
  volumes: Record<string, unknown>;
};

interface ScrapeConfig {
  job_name: string;
  metrics_path: string;
  authorization?: { type: string; credentials_file: string };
  static_configs: Array<{ targets: string[] }>;
}
const prometheus = parse(read("deploy/prometheus/prometheus.yml")) as { scrape_configs: ScrapeConfig[] };
const dashboard = JSON.parse(read("deploy/grafana/dashboards/kon.json")) as {
  uid: string;
  panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ expr: string }> }>;
};

/** Every metric name both services export, from their real registries. */
async function exportedNames(): Promise<Set<string>> {
  const hot: HotStatus = {
    poolSize: 0,
    targetSize: 0,
    activeSessions: 0,
    processes: [],
    refill: { failures: 0, backoffUntil: null, stopped: false, lastError: null },
  };
  const konsole = createKonsoleMetrics(createKonsoleBus(), {
    hotStatus: () => hot,
    slotsInUse: () => 0,
    slotCapacity: () => 4,
    slotWaiters: () => 0,
    waitingTurns: () => 0,
  });
  const konui = createKonuiMetrics(createKonuiBus(), { liveSockets: () => 0, processTokens: () => ({ bound: 0, pooled: 0 }), pendingDecisions: () => [] });
  const names = new Set<string>();
  for (const registry of [konsole, konui]) for (const metric of await registry.getMetricsAsJSON()) names.add(metric.name);
  return names;
}

/** Host-side path of a `./source:target` bind mount of `service` whose target is `target`. */
function mountOf(service: string, target: string): string | undefined {
  const volume = compose.services[service]?.volumes?.find((entry) => entry.split(":")[1] === target);
  return volume?.split(":")[0];
}

describe("the metrics profile", () => {
  it("runs Prometheus and Grafana only under the metrics profile, from files that exist", () => {
    for (const name of ["prometheus", "grafana"]) expect(compose.services[name]?.profiles).toEqual(["metrics"]);
    const config = mountOf("prometheus", "/etc/prometheus/prometheus.yml");
    expect(config).toBe("./deploy/prometheus/prometheus.yml");
    for (const [target, source] of [
      ["/etc/grafana/provisioning", "./deploy/grafana/provisioning"],
      ["/var/lib/grafana/dashboards", "./deploy/grafana/dashboards"],
    ] as const) {
      expect(mountOf("grafana", target)).toBe(source);
      expect(existsSync(path.join(root, source))).toBe(true);
    }
    for (const volume of compose.services.grafana?.volumes ?? []) {
      const source = volume.split(":")[0] ?? "";
      if (!source.startsWith(".")) expect(compose.volumes).toHaveProperty(source);
    }
  });

  it("scrapes konsole on its metrics port and konui with the metrics token", () => {
    const jobs = Object.fromEntries(prometheus.scrape_configs.map((job) => [job.job_name, job]));
    const konsoleEnv = compose.services.konsole?.environment ?? {};
    const konuiEnv = compose.services.konui?.environment ?? {};
    expect(jobs.konsole?.static_configs[0]?.targets).toEqual([`konsole:${konsoleEnv.KONSOLE_METRICS_PORT}`]);
    expect(konsoleEnv.KONSOLE_METRICS_HOST).toBe("0.0.0.0");
    expect(jobs.konui?.static_configs[0]?.targets).toEqual([`konui:${konuiEnv.KONUI_PORT}`]);
    for (const job of Object.values(jobs)) expect(job.metrics_path).toBe("/metrics");
    // The token konui checks is the secret Prometheus reads.
    expect(konuiEnv.KONUI_METRICS_TOKEN).toBe("${KONUI_METRICS_TOKEN:-}");
    expect(compose.services.prometheus?.secrets).toEqual(["konui_metrics_token"]);
    expect(compose.secrets.konui_metrics_token).toEqual({ environment: "KONUI_METRICS_TOKEN" });
    expect(jobs.konui?.authorization).toEqual({ type: "Bearer", credentials_file: "/run/secrets/konui_metrics_token" });
    expect(jobs.konsole?.authorization).toBeUndefined();
  });

  it("provisions the Prometheus data source the dashboard uses, and the dashboard folder", () => {
    const datasources = parse(read("deploy/grafana/provisioning/datasources/prometheus.yml")) as {
      datasources: Array<{ uid: string; type: string; url: string }>;
    };
    const source = datasources.datasources[0];
    expect(source).toMatchObject({ uid: "prometheus", type: "prometheus", url: "http://prometheus:9090" });
    for (const panel of dashboard.panels) expect(panel.datasource.uid).toBe(source?.uid);
    const providers = parse(read("deploy/grafana/provisioning/dashboards/kon.yml")) as { providers: Array<{ options: { path: string } }> };
    expect(providers.providers[0]?.options.path).toBe("/var/lib/grafana/dashboards");
  });

  it("has a dashboard whose every query names a metric the services export", async () => {
    const names = await exportedNames();
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        const metrics = [...expr.matchAll(/\b((?:konsole|konui|process|nodejs)_[a-z0-9_]+)\b/g)].map((match) => match[1] ?? "");
        expect(metrics.length, expr).toBeGreaterThan(0);
        for (const metric of metrics) used.add(metric.replace(/_(bucket|sum|count)$/, ""));
      }
    }
    for (const metric of used) expect(names, `${metric} is not exported`).toContain(metric);
    // Each service's own metrics show up somewhere on the dashboard.
    for (const name of names) {
      if (name.startsWith("konsole_turn") || name.startsWith("konui_turn")) expect(used, `${name} is on no panel`).toContain(name);
    }
  });
});
