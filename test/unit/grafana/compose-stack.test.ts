// docker-compose.yml (no Docker engine here): the YAML parses, every mounted file exists and parses,
// and the services point at each other consistently (simulator ← exporter ← Prometheus ← Grafana).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { promtool } from "../prometheus/promtool.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");
const yaml = <T>(path: string): T => load(read(path)) as T;

interface Service {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}
const compose = yaml<{ services: Record<string, Service> }>("docker-compose.yml");
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
/** `./host/path:/container/path:ro` → [host, container] */
const mounts = (name: string): [string, string][] =>
  (service(name).volumes ?? []).map((volume) => {
    const [host = "", container = ""] = volume.split(":");
    return [host.replace(/^\.\//, ""), container];
  });
const mountedAt = (name: string, container: string): string => {
  const found = mounts(name).find(([, target]) => target === container);
  if (!found) throw new Error(`service ${name} mounts nothing at ${container}`);
  return found[0];
};

function parseFile(path: string): void {
  const text = read(path);
  if (path.endsWith(".json")) JSON.parse(text);
  else if (/\.ya?ml$/.test(path)) load(text);
  else throw new Error(`${path}: expected a .json or .yml file`);
}

describe("docker-compose.yml", () => {
  it("has the four services, the exporter image built from the repo's Dockerfile", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["exporter", "grafana", "prometheus", "simulator"]);
    expect(service("simulator").build).toBe(".");
    expect(service("exporter").build).toBe(".");
    expect(existsSync(join(ROOT, "Dockerfile"))).toBe(true);
    expect(service("simulator").command).toEqual(["simulate", "--host", "0.0.0.0", "--port", "8088"]);
  });

  it("mounts only files and folders that exist and parse", () => {
    const all = Object.keys(compose.services).flatMap((name) => mounts(name).map(([host]) => host));
    expect(all.length).toBeGreaterThan(0);
    for (const host of all) {
      expect(existsSync(join(ROOT, host)), host).toBe(true);
      const files = statSync(join(ROOT, host)).isDirectory()
        ? readdirSync(join(ROOT, host), { recursive: true, encoding: "utf8" }).map((file) => join(host, file)).filter((file) => statSync(join(ROOT, file)).isFile())
        : [host];
      expect(files.length, host).toBeGreaterThan(0);
      for (const file of files) expect(() => parseFile(file), file).not.toThrow();
    }
  });

  it("gives the exporter a valid config that polls the simulator service", async () => {
    const path = mountedAt("exporter", "/etc/brightpattern-exporter/config.yaml");
    const config = await parseConfig(read(path), { env: { ...service("exporter").environment }, baseDir: ROOT });
    expect(config.upstream.url).toBe("http://simulator:8088");
    expect(service("exporter").command).toEqual(["--config", "/etc/brightpattern-exporter/config.yaml"]);
  });

  it("keeps the exporter config equal to config.example.yaml but for the upstream URL", () => {
    const compose = read(mountedAt("exporter", "/etc/brightpattern-exporter/config.yaml")).split("\n");
    const example = read("config.example.yaml").split("\n");
    const withoutHeaderAndUrl = (lines: string[]): string[] => lines.filter((line) => !/^\s*url: /.test(line) && !line.includes("compose stack"));
    expect(withoutHeaderAndUrl(compose)).toEqual(withoutHeaderAndUrl(example));
  });

  it("lets Prometheus scrape the exporter as the job the alerts expect, with the rules loaded", async () => {
    const configPath = mountedAt("prometheus", "/etc/prometheus/prometheus.yml");
    const config = yaml<{ rule_files: string[]; scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }>(configPath);
    expect(config.scrape_configs).toMatchObject([{ job_name: "brightpattern-exporter", static_configs: [{ targets: ["exporter:9737"] }] }]);
    expect(read(mountedAt("prometheus", "/etc/prometheus/alerts.yml"))).toContain('up{job="brightpattern-exporter"}');
    expect(config.rule_files).toEqual(["/etc/prometheus/alerts.yml"]);

    // promtool checks the config with the rule file where the container would have it.
    const dir = await mkdtemp(join(tmpdir(), "bp-compose-"));
    try {
      const local = read(configPath).replace("/etc/prometheus/alerts.yml", join(ROOT, mountedAt("prometheus", "/etc/prometheus/alerts.yml")));
      await writeFile(join(dir, "prometheus.yml"), local);
      const result = await promtool(["check", "config", join(dir, "prometheus.yml")]);
      expect(result.output).toContain("SUCCESS");
      expect(result.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("provisions Grafana with a fixed-uid default Prometheus datasource and the dashboards folder", () => {
    const provisioning = mountedAt("grafana", "/etc/grafana/provisioning");
    const datasources = yaml<{ datasources: Record<string, unknown>[] }>(`${provisioning}/datasources/prometheus.yml`).datasources;
    expect(datasources).toMatchObject([{ uid: "prometheus", type: "prometheus", url: "http://prometheus:9090", isDefault: true }]);
    const providers = yaml<{ providers: { type: string; options: { path: string } }[] }>(`${provisioning}/dashboards/brightpattern.yml`).providers;
    expect(providers).toMatchObject([{ type: "file", options: { path: "/var/lib/grafana/dashboards" } }]);
    expect(mountedAt("grafana", "/var/lib/grafana/dashboards")).toBe("grafana/dashboards");
    expect(service("grafana").environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe("/var/lib/grafana/dashboards/brightpattern-wallboard.json");
    expect(existsSync(join(ROOT, "grafana/dashboards/brightpattern-wallboard.json"))).toBe(true);
  });
});
