// Golden tests from real wire captures (test/fixtures/captures, copied from the reference captures): each data
// answer renders to its checked-in exposition, lint-clean; each answer the client parses is read as meant; the
// subscription the config builds is the captured request body.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { buildMetricPlan } from "../../../src/metrics/plan.js";
import { renderStatistics } from "../../../src/metrics/render.js";
import { configObjectList, dispositionsAnswer, parseAnswer, tokenAnswer } from "../../../src/statsapi/schemas.js";
import { countValueMarks, parseSubscriptionData, valueBudget } from "../../../src/statsapi/subscription-data.js";
import { buildSubscriptionRequest } from "../../../src/statsapi/subscription-request.js";
import { promtool, readExposition } from "../metrics/exposition-reader.js";

const DIR = new URL("../../fixtures/captures/", import.meta.url);
const text = (name: string) => readFileSync(new URL(name, DIR), "utf8");
interface Capture {
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown; form?: Record<string, string> };
  response: { status: number; headers?: Record<string, string>; body: unknown };
}
const capture = (name: string) => JSON.parse(text(`${name}.json`)) as Capture;
const configOf = (name: string) => parseConfig(text(`${name}.yaml`), { env: {}, baseDir: DIR.pathname });

describe("golden: data answers of real tenants → the checked-in exposition", () => {
  it.each(["data-agents", "data-example"])("%s", async (name) => {
    const { plan, issues } = buildMetricPlan(await configOf(name));
    expect(issues).toEqual([]);
    const body = JSON.stringify(capture(name).response.body);
    const rendered = renderStatistics(parseSubscriptionData(body), plan);
    expect(rendered.text).toBe(text(`${name}.prom`));
    expect(promtool(rendered.text)).toEqual({ status: 0, output: "" });
    expect(rendered).toMatchObject({ invalidValues: 0, rowsWithoutKey: 0, duplicateRows: 0, missing: [] });
    expect(readExposition(rendered.text).length).toBe(rendered.series);
  });

  it("reads what the captures mean: logged-out agents (acd_state \"\") are logged_out, an empty speed of answer is no sample, numeric service names are services", async () => {
    const agents = readExposition(renderStatistics(parseSubscriptionData(JSON.stringify(capture("data-agents").response.body)), buildMetricPlan(await configOf("data-agents")).plan).text);
    const current = agents.filter((s) => s.name === "brightpattern_agent_state" && s.value === 1);
    expect(new Set(current.map((s) => s.labels.state))).toEqual(new Set(["logged_out"]));
    const example = readExposition(renderStatistics(parseSubscriptionData(JSON.stringify(capture("data-example").response.body)), buildMetricPlan(await configOf("data-example")).plan).text);
    expect(example.some((s) => s.name === "brightpattern_in_average_speed_of_answer_seconds")).toBe(false);
    expect(example.filter((s) => s.name === "brightpattern_service_in_calls_waiting").map((s) => s.labels.service_name)).toContain("1");
  });

  it("real bodies are far inside the value budget: at most four JSON values a series they give", async () => {
    for (const name of ["data-agents", "data-example"]) {
      const body = JSON.stringify(capture(name).response.body);
      const { series } = renderStatistics(parseSubscriptionData(body), buildMetricPlan(await configOf(name)).plan);
      expect(countValueMarks(body, Infinity), name).toBeLessThanOrEqual(4 * series);
      expect(valueBudget(series) - 100_000, name).toBeGreaterThanOrEqual(2 * 4 * series);
    }
  });
});

describe("golden: requests and small answers", () => {
  it("the subscription the config builds is the captured request body", async () => {
    expect(buildSubscriptionRequest(await configOf("data-agents"))).toEqual(capture("subscription-agents").request.body);
  });

  it("reads the token answer (expires_in a string), the cfg lists and the bare dispositions array", () => {
    const token = parseAnswer(tokenAnswer, JSON.stringify(capture("oauth-token").response.body), "POST /t");
    expect(token).toMatchObject({ access_token: "<token>", expires_in: 3264 });
    for (const name of ["cfg-agents", "cfg-services"]) {
      const body = capture(name).response.body as { id: string; name: string }[];
      expect(parseAnswer(configObjectList, JSON.stringify(body), "GET /x")).toEqual(body);
    }
    const dispositions = capture("dispositions").response.body as string[];
    expect(parseAnswer(dispositionsAnswer, JSON.stringify(dispositions), "GET /d")).toEqual(dispositions);
  });
});
