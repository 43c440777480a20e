// The Dockerfile: lint-clean, and its policy (pinned base, non-root numeric user, production-only
// dependencies, the CLI as entrypoint) asserted on the parsed instructions. No Docker engine needed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Copy, DockerfileParser, type Instruction } from "dockerfile-ast";
import { ValidationSeverity, validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import {
  BUILD,
  BUILD_INSTALL,
  CONFIG_PATH_IN_IMAGE,
  PRODUCTION_INSTALL,
  RUNTIME_FILES,
  contextFiles,
  isIgnored,
  parseDockerignore,
} from "../../../scripts/rehearse-image.js";

const ROOT = join(import.meta.dirname, "../../..");
const DOCKERFILE = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

/** Every check the validator has, as an error. */
const STRICT = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

function lint(text: string): string[] {
  return validate(text, STRICT).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
}

interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

/** Instructions grouped by the FROM that starts their stage. */
function stages(text: string): Stage[] {
  const result: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      const args = instruction.getArguments().map((a) => a.getValue());
      result.push({ name: args[2] ?? null, image: args[0] ?? "", instructions: [] });
    } else result.at(-1)?.instructions.push(instruction);
  }
  return result;
}

const STAGES = stages(DOCKERFILE);
const RUNTIME = STAGES.at(-1) as Stage;

function keyword(stage: Stage, name: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === name);
}

/** An exec-form (JSON array) instruction's strings. */
function jsonArgs(instruction: Instruction | undefined): string[] {
  const content = instruction?.getArgumentsContent() ?? "";
  const parsed: unknown = JSON.parse(content);
  if (!Array.isArray(parsed)) throw new Error(`not exec form: ${content}`);
  return parsed as string[];
}

function copyText(copy: Copy): string {
  const flags = copy.getFlags().map((f) => `--${f.getName()}=${f.getValue() ?? ""}`);
  return [...flags, ...copy.getArguments().map((a) => a.getValue())].join(" ");
}

function runCommands(stage: Stage): string[] {
  return keyword(stage, "RUN").map((i) => (i.getArgumentsContent() ?? "").replace(/\\\n\s*/g, " ").replace(/\s+/g, " "));
}

describe("Dockerfile lint (dockerfile-utils, every check an error)", () => {
  it("reports no problem", () => {
    expect(lint(DOCKERFILE)).toEqual([]);
  });

  it("reports a broken copy: bad EXPOSE protocol, relative WORKDIR, a second ENTRYPOINT", () => {
    const broken = DOCKERFILE.replace("EXPOSE 9737", "EXPOSE 9737/tcpx")
      .replace("WORKDIR /app\nENV", "WORKDIR app\nENV")
      .concat('ENTRYPOINT ["node"]\n');
    const problems = lint(broken);
    expect(problems.some((p) => p.includes("tcpx"))).toBe(true);
    expect(problems.some((p) => /WORKDIR/.test(p) && /absolute/i.test(p))).toBe(true);
    expect(problems.some((p) => /ENTRYPOINT/.test(p))).toBe(true);
  });
});

describe("Dockerfile policy", () => {
  it("has build, production-deps and runtime stages on one pinned Node LTS base", () => {
    expect(STAGES.map((s) => s.name)).toEqual(["build", "production-deps", "runtime"]);
    const version = /^ARG NODE_VERSION=(\S+)$/m.exec(DOCKERFILE)?.[1];
    // A full x.y.z version of an even (LTS) major: no "latest", no floating major tag.
    expect(version).toMatch(/^(2[02468]|[3-9][02468])\.\d+\.\d+$/);
    for (const stage of STAGES) expect(stage.image).toBe("node:${NODE_VERSION}-bookworm-slim");
  });

  it("builds with dev dependencies and the same npm commands the rehearsal runs", () => {
    const build = STAGES.find((s) => s.name === "build") as Stage;
    expect(runCommands(build)).toEqual([`npm ${BUILD_INSTALL.join(" ")}`, `npm ${BUILD.join(" ")}`]);
  });

  it("installs production dependencies only, without running the package's prepare script", () => {
    const deps = STAGES.find((s) => s.name === "production-deps") as Stage;
    const [install] = runCommands(deps);
    expect(install).toContain(`npm ${PRODUCTION_INSTALL.join(" ")}`);
    expect(PRODUCTION_INSTALL).toEqual(expect.arrayContaining(["--omit=dev", "--ignore-scripts"]));
  });

  it("runtime stage: copies node_modules from production-deps, dist from build, and the runtime files", () => {
    const copies = keyword(RUNTIME, "COPY").map((i) => copyText(i as Copy));
    expect(copies).toContain("--from=production-deps /app/node_modules ./node_modules");
    expect(copies).toContain("--from=build /src/dist ./dist");
    expect(copies).toContain(`${RUNTIME_FILES.join(" ")} ./`);
    // npm is removed from the runtime: the exporter only needs node.
    expect(runCommands(RUNTIME).join(" ")).toMatch(/rm -rf .*\/usr\/local\/lib\/node_modules\/npm/);
  });

  it("runs as a numeric non-root user, exposes 9737, starts the CLI with the config path", () => {
    const user = keyword(RUNTIME, "USER").at(-1)?.getArgumentsContent();
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(keyword(RUNTIME, "EXPOSE").map((i) => i.getArgumentsContent())).toEqual(["9737"]);
    expect(jsonArgs(keyword(RUNTIME, "ENTRYPOINT")[0])).toEqual(["node", "/app/dist/cli.js"]);
    expect(jsonArgs(keyword(RUNTIME, "CMD")[0])).toEqual(["--config", CONFIG_PATH_IN_IMAGE]);
    expect(keyword(RUNTIME, "WORKDIR").map((i) => i.getArgumentsContent())).toEqual(["/app"]);
  });

  it("health check runs node in exec form (no shell) against /healthz on 9737", () => {
    const [healthcheck] = keyword(RUNTIME, "HEALTHCHECK");
    const content = healthcheck?.getArgumentsContent() ?? "";
    const exec = JSON.parse(content.slice(content.indexOf("["))) as string[];
    expect(exec[0]).toBe("node");
    expect(exec.join(" ")).toContain("http://127.0.0.1:9737/healthz");
  });

  it("carries OCI labels, the version matching package.json", () => {
    const labels = keyword(RUNTIME, "LABEL").map((i) => i.getArgumentsContent() ?? "").join(" ");
    for (const key of ["title", "description", "version", "licenses", "base.name"]) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
    expect(DOCKERFILE).toMatch(new RegExp(`^ARG VERSION=${PACKAGE.version.replace(/\./g, "\\.")}$`, "m"));
  });
});

describe(".dockerignore", () => {
  it("follows Docker's rules: last match wins, ! re-includes, parents count, **/ spans directories", () => {
    const rules = parseDockerignore("# comment\n*\n!src/\n**/*.log\n!src/keep.log\n/dist\n");
    expect(isIgnored(rules, "package.json")).toBe(true);
    expect(isIgnored(rules, "src/cli.ts")).toBe(false);
    expect(isIgnored(rules, "src/deep/dir/file.ts")).toBe(false);
    expect(isIgnored(rules, "src/deep/debug.log")).toBe(true);
    expect(isIgnored(rules, "src/keep.log")).toBe(false);
    expect(isIgnored(rules, "node_modules/x/index.js")).toBe(true);
    expect(isIgnored(parseDockerignore("dist\n"), "dist/cli.js")).toBe(true);
    expect(isIgnored(parseDockerignore("dist\n"), "src/dist.ts")).toBe(false);
    expect(isIgnored(parseDockerignore("src/*.test.ts\n"), "src/a.test.ts")).toBe(true);
    expect(isIgnored(parseDockerignore("src/*.test.ts\n"), "src/sub/a.test.ts")).toBe(false);
  });

  it("keeps the build context to what the image uses: no node_modules, dist, tests, git or deploy files", async () => {
    const files = await contextFiles(ROOT);
    expect(files).toEqual(expect.arrayContaining(["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "config.example.yaml", "src/cli.ts"]));
    const outside = files.filter((f) => !/^(src\/|package(-lock)?\.json$|tsconfig(\.build)?\.json$|config\.example\.yaml$)/.test(f));
    expect(outside).toEqual([]);
    expect(files.some((f) => /^(node_modules|dist|test|\.git|deploy)\//.test(f))).toBe(false);
  });
});

describe("Dockerfile comments", () => {
  const comments = DOCKERFILE.split("\n").filter((line) => line.startsWith("#"));
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");

  it("name only files that exist in the repository", () => {
    const named = comments.flatMap((line) => [...line.matchAll(/\b((?:scripts|src|test|deploy|docs)\/[\w./-]+\.\w+)/g)].map((match) => match[1] ?? ""));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it("mount secrets where the README does", () => {
    const secretPaths = comments.flatMap((line) => [...line.matchAll(/(\/run\/secrets\/[\w./-]+)/g)].map((match) => match[1] ?? ""));
    expect(secretPaths.length).toBeGreaterThan(0);
    expect(secretPaths.filter((path) => !readme.includes(path))).toEqual([]);
  });
});
