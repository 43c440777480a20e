// JSON Schemas of Grafana dashboards, generated at test time from the TypeScript types that Grafana
// publishes in @grafana/schema (the same types its own code is checked against), so a dashboard is
// checked against the installed Grafana schema version and there is no generated copy to drift.
// The generated schemas are strict (additionalProperties: false): a misspelt key fails.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { type CompletedConfig, createFormatter, DEFAULT_CONFIG, createParser, createProgram, SchemaGenerator } from "ts-json-schema-generator";

const require = createRequire(import.meta.url);
const RAW_TYPES = join(dirname(require.resolve("@grafana/schema/package.json")), "dist/types/raw");

export const GRAFANA_SCHEMA_VERSION: string = (require("@grafana/schema/package.json") as { version: string }).version;

/** Panel plugins the dashboards use, by `type`; a panel of any other type has no schema and fails. */
const PANEL_TYPES = ["gauge", "stat", "table", "timeseries"] as const;
export type PanelType = (typeof PANEL_TYPES)[number];

export interface PanelSchemas {
  /** The panel's `options`. */
  options: ValidateFunction;
  /** The panel's `fieldConfig.defaults.custom`; undefined when the plugin has no custom field options (stat). */
  fieldConfig: ValidateFunction | undefined;
}

export interface DashboardSchemas {
  dashboard: ValidateFunction;
  /** One panel of `panels`, and a row: the dashboard schema's anyOf of the two reports both branches' errors. */
  panel: ValidateFunction;
  row: ValidateFunction;
  panels: Record<PanelType, PanelSchemas>;
}

const DASHBOARD_FILE = "dashboard/x/types.gen.d.ts";
const panelFile = (type: PanelType): string => `composable/${type}/panelcfg/x/types.gen.d.ts`;

/** One TypeScript program over every type file (parsing them is the slow part), one schema per type. */
function schemaGenerator(files: readonly string[]): (file: string, type: string) => object | undefined {
  const config: CompletedConfig = { ...DEFAULT_CONFIG, path: `${RAW_TYPES}/{${files.join(",")}}`, skipTypeCheck: true, expose: "export", topRef: true, jsDoc: "none" };
  const program = createProgram(config);
  const generator = new SchemaGenerator(program, createParser(program, config), createFormatter(config), config);
  return (file, type) => {
    const source = program.getSourceFile(join(RAW_TYPES, file));
    // By name, not by ts.isInterfaceDeclaration: the generator bundles its own TypeScript, whose
    // SyntaxKind numbers need not match the project's.
    const node = source?.statements.find((statement) => (statement as { name?: { text?: string } }).name?.text === type);
    return node && generator.createSchemaFromNodes([node]);
  };
}

/** Generates and compiles the schemas (a few seconds: TypeScript parses the type files). */
export function buildDashboardSchemas(): DashboardSchemas {
  const schemaOf = schemaGenerator([DASHBOARD_FILE, ...PANEL_TYPES.map(panelFile)]);
  const ajv = new Ajv({ allErrors: true, strict: false });
  const compile = (file: string, type: string): ValidateFunction | undefined => {
    const schema = schemaOf(file, type);
    return schema && ajv.compile(schema);
  };
  const required = (file: string, type: string): ValidateFunction => {
    const validate = compile(file, type);
    if (!validate) throw new Error(`@grafana/schema ${GRAFANA_SCHEMA_VERSION}: no interface ${type} in ${file}`);
    return validate;
  };
  const panels = Object.fromEntries(
    PANEL_TYPES.map((type) => {
      return [type, { options: required(panelFile(type), "Options"), fieldConfig: compile(panelFile(type), "FieldConfig") }];
    }),
  ) as Record<PanelType, PanelSchemas>;
  const dashboard = required(DASHBOARD_FILE, "Dashboard");
  const definition = (name: string): ValidateFunction =>
    ajv.compile({ ...(dashboard.schema as object), $ref: `#/definitions/${name}` });
  return { dashboard, panel: definition("Panel"), row: definition("RowPanel"), panels };
}

export function isPanelType(type: string): type is PanelType {
  return (PANEL_TYPES as readonly string[]).includes(type);
}

/** "panels/3/fieldConfig/defaults: must NOT have additional property "colour"" — one line per error. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined, prefix = ""): string {
  return (errors ?? [])
    .map((error) => {
      const extra = error.keyword === "additionalProperties" ? ` "${String((error.params as { additionalProperty: string }).additionalProperty)}"` : "";
      const allowed = error.keyword === "enum" ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")})` : "";
      return `${prefix}${error.instancePath || (prefix ? "" : "/")}: ${error.message ?? error.keyword}${extra}${allowed}`;
    })
    .join("\n");
}
