// The Kubernetes manifests: rendered with `kubectl kustomize` (base and the example overlay), every
// object schema-validated with kubernetes-models, and the deployment policy asserted on the output.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { loadAll, load } from "js-yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { afterAll, describe, expect, it } from "vitest";
import { kustomize } from "./kustomize-subset.js";
import { checkConfig } from "../../../src/exporter/checked-config.js";
import { loadConfigFile, parseConfig } from "../../../src/config/load.js";
import { parseShard } from "../../../src/exporter/shard.js";
import { ALERTS_PATH, RULE_PATH, renderPrometheusRule } from "../../../deploy/kubernetes/prometheus-rule.js";

const ROOT = join(import.meta.dirname, "../../..");
const KUBE = join(ROOT, "deploy/kubernetes");
const CONFIG_DIR = "/etc/brightpattern-exporter";
const SECRET_DIR = "/run/secrets/brightpattern-exporter";

// Loose on purpose: these are manifests read from YAML, checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = Record<string, any>;

// The models' constructors take their own typed shapes; a parsed manifest is checked by validate().
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "v1/Service": Service,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Namespace": Namespace,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
};

/** Throws when the object's kind is unknown here or its fields do not match the API schema. */
function validateObject(object: Manifest): void {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS[key];
  if (Model === undefined) throw new Error(`no schema for ${key}`);
  new Model(object).validate();
}

const HAS_KUBECTL = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;

function kubectlKustomize(dir: string): Manifest[] {
  const result = spawnSync("kubectl", ["kustomize", join(KUBE, dir)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${result.stderr}`);
  return (loadAll(result.stdout) as Manifest[]).filter((o) => o !== null);
}

/** kubectl's kustomize where installed; else the subset renderer, checked against kubectl wherever both exist. */
function render(dir: string): Manifest[] {
  return HAS_KUBECTL ? kubectlKustomize(dir) : kustomize(join(KUBE, dir));
}

function only(objects: Manifest[], kind: string): Manifest {
  const matches = objects.filter((o) => o.kind === kind);
  expect(matches, `exactly one ${kind}`).toHaveLength(1);
  return matches[0] as Manifest;
}

const scratch = mkdtempSync(join(tmpdir(), "bp-deploy-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the ConfigMap's config through the exporter's loader and metric planner, with the secret file written where the config reads it. */
async function loadMountedConfig(objects: Manifest[], secretValue: string) {
  const text = only(objects, "ConfigMap").data["config.yaml"] as string;
  const dir = mkdtempSync(join(scratch, "secrets-"));
  const secretPath = /client_secret_file:\s*(\S+)/.exec(text)?.[1] ?? "";
  expect(secretPath.startsWith(`${SECRET_DIR}/`)).toBe(true);
  const key = secretPath.slice(SECRET_DIR.length + 1);
  writeFileSync(join(dir, key), `${secretValue}\n`);
  const config = await parseConfig(text.replaceAll(SECRET_DIR, dir), { env: {}, baseDir: dir });
  // As check-config does: the columns must map to metric families, and every statistic be known.
  expect((await checkConfig(config)).warnings).toEqual([]);
  return { config, key };
}

describe("raw manifest files", () => {
  const files = ["base", "overlays/example", "overlays/sharded"].flatMap((dir) =>
    readdirSync(join(KUBE, dir))
      .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml" && f !== "config.yaml" && !f.endsWith("-patch.yaml"))
      .map((f) => `${dir}/${f}`),
  );

  it.each(files)("%s is a valid object", (file) => {
    validateObject(load(readFileSync(join(KUBE, file), "utf8")) as Manifest);
  });

  it("the PrometheusRule is generated from the current alert rules", () => {
    const alerts = readFileSync(join(ROOT, ALERTS_PATH), "utf8");
    expect(readFileSync(join(ROOT, RULE_PATH), "utf8"), `${RULE_PATH} is stale: npx tsx deploy/kubernetes/prometheus-rule.ts`).toBe(renderPrometheusRule(alerts));
    expect(() => renderPrometheusRule("rules: []\n")).toThrow(/"groups" list/);
  });
});

describe("kustomize base", () => {
  const objects = render("base");
  const deployment = () => only(objects, "Deployment");
  const pod = () => deployment().spec.template.spec;
  const container = () => pod().containers[0] as Manifest;

  it("renders Deployment, Service, ConfigMap, Secret, ServiceMonitor and PrometheusRule, each valid", () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(["ConfigMap", "Deployment", "PrometheusRule", "Secret", "Service", "ServiceMonitor"]);
    for (const object of objects) validateObject(object);
  });

  it("a wrong field type in a manifest fails validation", () => {
    const breakages: [string, (copy: Manifest[]) => void][] = [
      ["replicas as a string", (copy) => (only(copy, "Deployment").spec.replicas = "1")],
      ["containerPort as a string", (copy) => (only(copy, "Deployment").spec.template.spec.containers[0].ports[0].containerPort = "9737")],
      ["runAsNonRoot as a string", (copy) => (only(copy, "Deployment").spec.template.spec.securityContext.runAsNonRoot = "true")],
      ["service port as a string", (copy) => (only(copy, "Service").spec.ports[0].port = "metrics")],
      ["ServiceMonitor endpoints as an object", (copy) => (only(copy, "ServiceMonitor").spec.endpoints = { port: "metrics" })],
      ["PrometheusRule rules as a string", (copy) => (only(copy, "PrometheusRule").spec.groups[0].rules = "up == 0")],
      ["ConfigMap data value as a number", (copy) => (only(copy, "ConfigMap").data["config.yaml"] = 3)],
    ];
    for (const [name, breakIt] of breakages) {
      const copy = structuredClone(objects);
      breakIt(copy);
      expect(() => copy.forEach(validateObject), name).toThrow();
    }
  });

  it("runs exactly one replica, replaced by Recreate, with time to delete the subscription", () => {
    expect(deployment().spec.replicas).toBe(1);
    expect(deployment().spec.strategy).toEqual({ type: "Recreate" });
    expect(pod().terminationGracePeriodSeconds).toBeGreaterThanOrEqual(15);
  });

  it("runs non-root (the image's numeric user), read-only, unprivileged, without a service account token", () => {
    const dockerUser = /^USER (\d+)/m.exec(readFileSync(join(ROOT, "Dockerfile"), "utf8"))?.[1];
    const podContext = pod().securityContext;
    const context = container().securityContext;
    expect(podContext.runAsNonRoot).toBe(true);
    expect(String(podContext.runAsUser)).toBe(dockerUser);
    expect(podContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(context).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(context.capabilities.add).toBeUndefined();
    expect(pod().automountServiceAccountToken).toBe(false);
    expect(pod().hostNetwork).toBeUndefined();
  });

  it("probes /healthz (startup, liveness) and /readyz (readiness) on the metrics port 9737", () => {
    const c = container();
    expect(c.ports).toEqual([{ name: "metrics", containerPort: 9737, protocol: "TCP" }]);
    expect(c.startupProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "metrics" });
    expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
  });

  it("exposes and scrapes the port named metrics at /metrics", () => {
    const service = only(objects, "Service");
    expect(service.spec.ports).toEqual([{ name: "metrics", port: 9737, targetPort: "metrics", protocol: "TCP" }]);
    expect(service.spec.selector).toEqual(deployment().spec.selector.matchLabels);
    const monitor = only(objects, "ServiceMonitor");
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: "metrics", path: "/metrics" })]);
    expect(monitor.spec.selector.matchLabels).toEqual(
      Object.fromEntries(Object.entries(service.metadata.labels).filter(([k]) => k in monitor.spec.selector.matchLabels)),
    );
  });

  it("puts no secret in an environment variable", () => {
    for (const c of pod().containers as Manifest[]) {
      for (const env of (c.env ?? []) as Manifest[]) {
        expect(env.valueFrom?.secretKeyRef, `env ${env.name}`).toBeUndefined();
        expect(env.name).not.toMatch(/SECRET|PASSWORD|TOKEN/i);
      }
      for (const from of (c.envFrom ?? []) as Manifest[]) expect(from.secretRef).toBeUndefined();
    }
  });

  it("mounts the generated ConfigMap as the config file the args name, and the Secret as files", () => {
    const configMap = only(objects, "ConfigMap");
    const secret = only(objects, "Secret");
    expect(configMap.metadata.name).toMatch(/^brightpattern-exporter-config-[a-z0-9]{10}$/);
    expect(container().args).toEqual(["--config", `${CONFIG_DIR}/config.yaml`]);
    const mounts = Object.fromEntries((container().volumeMounts as Manifest[]).map((m) => [m.name, m]));
    const volumes = Object.fromEntries((pod().volumes as Manifest[]).map((v) => [v.name, v]));
    expect(mounts.config).toMatchObject({ mountPath: CONFIG_DIR, readOnly: true });
    expect(volumes.config?.configMap.name).toBe(configMap.metadata.name);
    expect(mounts.credentials).toMatchObject({ mountPath: SECRET_DIR, readOnly: true });
    expect(volumes.credentials?.secret.secretName).toBe(secret.metadata.name);
  });

  it("its config passes the exporter's loader and reads the secret from the mounted Secret's key", async () => {
    const secret = only(objects, "Secret");
    const [[key, value]] = Object.entries(secret.stringData as Record<string, string>) as [[string, string]];
    expect(value).toMatch(/placeholder/i);
    const loaded = await loadMountedConfig(objects, value);
    expect(loaded.key).toBe(key);
    expect(loaded.config.upstream.auth).toMatchObject({ method: "oauth", client_secret: value });
    expect(loaded.config.web.listen_address).toBe(":9737");
  });

  it("labels every object app.kubernetes.io/{name,part-of,component,managed-by}", () => {
    for (const object of objects) {
      expect(object.metadata.labels, `${object.kind}`).toMatchObject({
        "app.kubernetes.io/name": "brightpattern-exporter",
        "app.kubernetes.io/part-of": "brightpattern-exporter",
        "app.kubernetes.io/component": "exporter",
        "app.kubernetes.io/managed-by": "kustomize",
      });
    }
    expect(deployment().spec.template.metadata.labels["app.kubernetes.io/part-of"]).toBe("brightpattern-exporter");
  });

  it("the PrometheusRule carries the project's alert groups", () => {
    const alerts = load(readFileSync(join(ROOT, ALERTS_PATH), "utf8")) as { groups: unknown[] };
    expect(only(objects, "PrometheusRule").spec.groups).toEqual(alerts.groups);
  });
});

describe("kustomize overlay example", () => {
  const base = render("base");
  const objects = render("overlays/example");
  const NAMESPACE = "bp-example-tenant";

  it("renders valid objects in its own namespace, which it creates", () => {
    for (const object of objects) validateObject(object);
    expect(only(objects, "Namespace").metadata.name).toBe(NAMESPACE);
    for (const object of objects.filter((o) => o.kind !== "Namespace")) expect(object.metadata.namespace, object.kind).toBe(NAMESPACE);
  });

  it("reads the tenant's own Secret, created out of band (no placeholder Secret to overwrite it)", () => {
    expect(objects.some((o) => o.kind === "Secret")).toBe(false);
    const volumes = only(objects, "Deployment").spec.template.spec.volumes as Manifest[];
    expect(volumes.find((v) => v.name === "credentials")?.secret).toEqual({ secretName: "example-tenant-bp-api", defaultMode: 0o440 });
  });

  it("uses its own image tag and tenant config, which passes the loader", async () => {
    const container = only(objects, "Deployment").spec.template.spec.containers[0] as Manifest;
    expect(container.image).toMatch(/^[\w.-]+\/[\w./-]+:\d+\.\d+\.\d+$/);
    expect(container.image).not.toBe(only(base, "Deployment").spec.template.spec.containers[0].image);
    const overlay = await loadMountedConfig(objects, "overlay-placeholder");
    const original = await loadMountedConfig(base, "base-placeholder");
    expect(overlay.config.upstream.tenant_url).not.toBe(original.config.upstream.tenant_url);
    expect(overlay.config.upstream.auth).toMatchObject({ client_secret: "overlay-placeholder" });
  });

  it("keeps the base's policy: one replica, Recreate, an instance label on pods", () => {
    const deployment = only(objects, "Deployment");
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe("Recreate");
    expect(deployment.spec.template.metadata.labels["app.kubernetes.io/instance"]).toBe("example-tenant");
  });
});

describe("kustomize overlay sharded", () => {
  const base = render("base");
  const objects = render("overlays/sharded");
  const set = () => only(objects, "StatefulSet");
  const pod = () => set().spec.template.spec;
  const container = () => pod().containers[0] as Manifest;

  it("renders valid objects in its own namespace: a StatefulSet instead of the Deployment, no placeholder Secret", () => {
    for (const object of objects) validateObject(object);
    expect(objects.map((o) => o.kind).sort()).toEqual(["ConfigMap", "ConfigMap", "Namespace", "PrometheusRule", "Service", "ServiceMonitor", "StatefulSet"]);
    for (const object of objects.filter((o) => o.kind !== "Namespace")) expect(object.metadata.namespace, object.kind).toBe("bp-tenants");
  });

  it("has a headless Service as the StatefulSet's serviceName, scraped pod by pod by the ServiceMonitor", () => {
    const service = only(objects, "Service");
    expect(service.spec.clusterIP).toBe("None");
    expect(service.spec.publishNotReadyAddresses).toBe(true);
    expect(set().spec.serviceName).toBe(service.metadata.name);
    expect(service.spec.selector).toEqual(set().spec.selector.matchLabels);
    const monitor = only(objects, "ServiceMonitor");
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: "metrics", path: "/metrics" })]);
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels as Record<string, string>)) expect(service.metadata.labels[key]).toBe(value);
  });

  it("takes the shard from the pod's ordinal, out of as many shards as replicas", () => {
    const env = Object.fromEntries((container().env as Manifest[]).map((e) => [e.name, e]));
    expect(env.POD_NAME?.valueFrom).toEqual({ fieldRef: { fieldPath: "metadata.name" } });
    const value = env.BRIGHTPATTERN_EXPORTER_SHARD?.value as string;
    expect(value).toMatch(/^\$\(POD_NAME\)\/\d+$/);
    const replicas = set().spec.replicas as number;
    expect(replicas).toBeGreaterThan(1);
    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      const podName = `${set().metadata.name}-${ordinal}`;
      expect(parseShard(value.replace("$(POD_NAME)", podName), "")).toEqual({ shard: { index: ordinal, count: replicas } });
    }
  });

  it("keeps the base pod's policy: security contexts, probes, ports, grace period", () => {
    const basePod = only(base, "Deployment").spec.template.spec;
    const baseContainer = basePod.containers[0] as Manifest;
    for (const key of ["securityContext", "automountServiceAccountToken", "enableServiceLinks", "terminationGracePeriodSeconds"]) expect(pod()[key], key).toEqual(basePod[key]);
    for (const key of ["securityContext", "ports", "startupProbe", "livenessProbe", "readinessProbe", "args"]) expect(container()[key], key).toEqual(baseContainer[key]);
  });

  it("its config and every tenant file pass the loader, each tenant reading its own key of the mounted Secret", async () => {
    const configMaps = objects.filter((o) => o.kind === "ConfigMap");
    const config = configMaps.find((o) => o.metadata.name.startsWith("brightpattern-exporter-config"))!;
    const tenantFiles = configMaps.find((o) => o.metadata.name.startsWith("brightpattern-exporter-tenants"))!;
    const mounts = Object.fromEntries((container().volumeMounts as Manifest[]).map((m) => [m.name, m.mountPath]));
    const volumes = Object.fromEntries((pod().volumes as Manifest[]).map((v) => [v.name, v]));
    expect(volumes.tenants?.configMap.name).toBe(tenantFiles.metadata.name);
    expect(mounts.credentials).toBe(SECRET_DIR);
    const dir = mkdtempSync(join(scratch, "sharded-"));
    const tenantsDir = mkdtempSync(join(scratch, "tenants-"));
    const local = (text: string) => text.replaceAll(SECRET_DIR, dir).replaceAll(mounts.tenants, tenantsDir);
    writeFileSync(join(dir, "config.yaml"), local(config.data["config.yaml"] as string));
    for (const [name, text] of Object.entries(tenantFiles.data as Record<string, string>)) {
      writeFileSync(join(tenantsDir, name), local(text));
      const key = /client_secret_file:\s*\S+\/(\S+)/.exec(text)?.[1] ?? "";
      writeFileSync(join(dir, key), `secret of ${name}\n`);
    }
    const file = await loadConfigFile(join(dir, "config.yaml"), {});
    expect(file.kind).toBe("tenants");
    const tenants = file.kind === "tenants" ? file.tenants : [];
    expect(tenants.map((t) => t.name)).toEqual(["acme", "globex", "initech"]);
    for (const tenant of tenants) {
      expect(tenant.config.upstream.auth).toMatchObject({ client_secret: `secret of ${tenant.name}.yaml` });
      expect((await checkConfig(tenant.config)).warnings).toEqual([]);
    }
  });
});

/** Order-free and hash-free: generated names end in a content hash that each renderer computes its own way. */
function comparable(objects: Manifest[]): Manifest[] {
  const unhash = (name: string) => name.replace(/^(brightpattern-exporter-(?:config|tenants))-[a-z0-9]{10}$/, "$1");
  return structuredClone(objects)
    .map((o) => {
      o.metadata.name = unhash(o.metadata.name);
      for (const volume of (o.spec?.template?.spec?.volumes ?? []) as Manifest[]) if (volume.configMap) volume.configMap.name = unhash(volume.configMap.name);
      return o;
    })
    .sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
}

describe.skipIf(!HAS_KUBECTL)("the kustomize subset used without kubectl", () => {
  it.each(["base", "overlays/example", "overlays/sharded"])("renders %s exactly as kubectl kustomize does", (dir) => {
    expect(comparable(kustomize(join(KUBE, dir)))).toEqual(comparable(kubectlKustomize(dir)));
  });

  it("refuses kustomization fields it does not implement", () => {
    const dir = mkdtempSync(join(scratch, "k-"));
    writeFileSync(join(dir, "kustomization.yaml"), "resources: []\nnamePrefix: tenant-a-\n");
    expect(() => kustomize(dir)).toThrow(/unsupported by the kustomize subset: namePrefix/);
  });
});
