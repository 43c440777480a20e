// A renderer for the part of kustomize that deploy/kubernetes uses, so the manifest tests run on a
// machine without kubectl (Debian's kubernetes-client is v1.20, whose kustomize v2 is too old, and
// current kubectl is not in the Debian archive). Where kubectl exists, a test checks that this
// renderer's output equals `kubectl kustomize`'s (the ConfigMap hash suffix aside).
//
// Supported: resources (files and directories), namespace, labels (pairs, includeSelectors,
// includeTemplates), configMapGenerator (files; behavior create|replace), images (newName/newTag),
// patches (strategic merge from `path` or inline `patch`, including `$patch: delete`). Anything else
// in a kustomization is refused rather than ignored.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { load, loadAll } from "js-yaml";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = Record<string, any>;

interface Kustomization {
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  configMapGenerator?: { name: string; behavior?: "create" | "replace"; files: string[] }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: ({ path: string } | { patch: string })[];
}

const KNOWN_FIELDS = new Set(["apiVersion", "kind", "resources", "namespace", "labels", "configMapGenerator", "images", "patches"]);
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"]);
/** Generated ConfigMaps get a content-hash suffix, added once the whole tree is rendered. */
const GENERATED = Symbol("generated");

function isObject(value: unknown): value is Manifest {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Strategic-merge-like: maps merge, lists of named maps merge by name, other lists are replaced. */
function merge(target: unknown, patch: unknown): unknown {
  if (isObject(target) && isObject(patch)) {
    const result: Manifest = { ...target };
    for (const [key, value] of Object.entries(patch)) result[key] = key in target ? merge(target[key], value) : value;
    return result;
  }
  if (Array.isArray(target) && Array.isArray(patch) && patch.every((item) => isObject(item) && typeof item.name === "string")) {
    // As kubectl's strategic merge orders them: the patch's items first, then the untouched ones.
    const named = (name: unknown) => target.find((t) => isObject(t) && t.name === name);
    const result = patch.map((item: Manifest) => (named(item.name) === undefined ? item : merge(named(item.name), item)));
    result.push(...target.filter((t) => !isObject(t) || !patch.some((p: Manifest) => p.name === t.name)));
    return result;
  }
  return patch;
}

function readKustomization(dir: string): Kustomization {
  const k = load(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as Kustomization & Record<string, unknown>;
  const unknown = Object.keys(k).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) throw new Error(`${dir}/kustomization.yaml: unsupported by the kustomize subset: ${unknown.join(", ")}`);
  return k;
}

function sameTarget(object: Manifest, patch: Manifest): boolean {
  return object.kind === patch.kind && object.metadata?.name === patch.metadata?.name;
}

function applyLabels(object: Manifest, labels: NonNullable<Kustomization["labels"]>): void {
  for (const { pairs, includeSelectors = false, includeTemplates = false } of labels) {
    object.metadata.labels = { ...object.metadata.labels, ...pairs };
    const template = object.spec?.template;
    if ((includeTemplates || includeSelectors) && isObject(template)) template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...pairs } };
    if (includeSelectors) {
      if (object.kind === "Service") object.spec.selector = { ...object.spec.selector, ...pairs };
      else if (isObject(object.spec?.selector)) object.spec.selector.matchLabels = { ...object.spec.selector.matchLabels, ...pairs };
    }
  }
}

function applyImages(object: Manifest, images: NonNullable<Kustomization["images"]>): void {
  const containers = [...(object.spec?.template?.spec?.containers ?? []), ...(object.spec?.template?.spec?.initContainers ?? [])] as Manifest[];
  for (const container of containers) {
    const name = String(container.image).split(/[:@]/)[0];
    const image = images.find((i) => i.name === name);
    if (image !== undefined) container.image = `${image.newName ?? name}${image.newTag === undefined ? "" : `:${image.newTag}`}`;
  }
}

function renderDir(dir: string): Manifest[] {
  const k = readKustomization(dir);
  let objects: Manifest[] = [];
  for (const resource of k.resources ?? []) {
    const path = join(dir, resource);
    if (statSync(path).isDirectory()) objects.push(...renderDir(path));
    else objects.push(...(loadAll(readFileSync(path, "utf8")) as Manifest[]).filter(isObject));
  }
  for (const generator of k.configMapGenerator ?? []) {
    const data = Object.fromEntries(generator.files.map((file) => [basename(file), readFileSync(join(dir, file), "utf8")]));
    const existing = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === generator.name);
    if (generator.behavior === "replace") {
      if (existing === undefined) throw new Error(`${dir}: configMapGenerator ${generator.name}: nothing to replace`);
      existing.data = data;
    } else {
      const configMap: Manifest = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: generator.name }, data };
      Object.defineProperty(configMap, GENERATED, { value: true });
      objects.push(configMap);
    }
  }
  for (const entry of k.patches ?? []) {
    const patch = load("path" in entry ? readFileSync(join(dir, entry.path), "utf8") : entry.patch) as Manifest;
    if (!objects.some((o) => sameTarget(o, patch))) throw new Error(`${dir}: patch for ${patch.kind} ${patch.metadata?.name} matches nothing`);
    if (patch.$patch === "delete") objects = objects.filter((o) => !sameTarget(o, patch));
    else objects = objects.map((o) => (sameTarget(o, patch) ? carryFlag(o, merge(o, patch) as Manifest) : o));
  }
  for (const object of objects) {
    object.metadata ??= {};
    if (k.namespace !== undefined && !CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = k.namespace;
    if (k.labels !== undefined) applyLabels(object, k.labels);
    if (k.images !== undefined) applyImages(object, k.images);
  }
  return objects;
}

function carryFlag(from: Manifest, to: Manifest): Manifest {
  if ((from as { [GENERATED]?: boolean })[GENERATED]) Object.defineProperty(to, GENERATED, { value: true });
  return to;
}

/** Renders a kustomization directory: generated ConfigMaps get a content hash and their references follow. */
export function kustomize(dir: string): Manifest[] {
  const objects = renderDir(dir);
  const renamed = new Map<string, string>();
  for (const object of objects.filter((o) => (o as { [GENERATED]?: boolean })[GENERATED])) {
    const hash = createHash("sha256").update(JSON.stringify(object.data)).digest("hex").slice(0, 10);
    const name = `${object.metadata.name}-${hash}`;
    renamed.set(object.metadata.name, name);
    object.metadata.name = name;
  }
  for (const object of objects) {
    for (const volume of (object.spec?.template?.spec?.volumes ?? []) as Manifest[]) {
      const renamedTo = volume.configMap === undefined ? undefined : renamed.get(volume.configMap.name);
      if (renamedTo !== undefined) volume.configMap.name = renamedTo;
    }
  }
  return objects;
}
