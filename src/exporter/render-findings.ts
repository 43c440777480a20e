// What a poll's render found wrong with the data, logged when it starts or changes, not every poll
// (brightpattern_invalid_values_total counts every bad value). Each kind of finding is tracked alone.
import type { Logger } from "pino";
import type { ProcessedData } from "../exposition/job.js";

type Findings = Pick<ProcessedData, "invalidByPath" | "missing" | "rowsWithoutKey" | "duplicateRows" | "gridRows" | "rowsCut" | "seriesCut">;

/** Agent grids that came back without a row, as "app_id/grid". */
const emptyAgentGrids = (f: Findings): string[] => f.gridRows.filter((g) => g.scope === "agent" && g.rows === 0).map((g) => `${g.appId}/${g.grid}`);

interface FindingKind {
  /** What identifies this finding in a poll ("" = none): a change of it is logged again. */
  key(findings: Findings): string;
  fields(findings: Findings): Record<string, unknown>;
  message: string;
}

const KINDS: FindingKind[] = [
  {
    key: (f) => Object.keys(f.invalidByPath).sort().join("\n"),
    fields: (f) => ({ invalid_values: f.invalidByPath }),
    message: "some upstream values could not be parsed and were skipped: check the columns' type (text of an unknown statistic needs type: label)",
  },
  {
    key: (f) => f.missing.join("\n"),
    fields: (f) => ({ missing: f.missing }),
    message: "parts of the subscription are configured but absent from the data: check app ids and grid ids",
  },
  {
    key: (f) => (f.rowsWithoutKey > 0 || f.duplicateRows > 0 ? "rows" : ""),
    fields: (f) => ({ rows_without_key: f.rowsWithoutKey, duplicate_rows: f.duplicateRows }),
    message: "grid rows without a key or with a repeated key were skipped: check the grids' key column",
  },
  {
    // Bright Pattern answers an empty agent grid, not an error, when the API user supervises none of its agents.
    key: (f) => emptyAgentGrids(f).join("\n"),
    fields: (f) => ({ empty_agent_grids: emptyAgentGrids(f) }),
    message:
      "an agent grid came back empty: the API user may supervise no team in it (the server sends an empty grid, not an error): " +
      "make the user a supervisor of the agents' teams, or check the grid's team_ids",
  },
  {
    key: (f) => (f.rowsCut > 0 || f.seriesCut > 0 ? "cut" : ""),
    fields: (f) => ({ grid_rows_cut: f.rowsCut, series_cut: f.seriesCut }),
    message:
      "the data is larger than metrics.max_series or a grid's row cap (its limit, else metrics.max_grid_rows): serving what fits; narrow the subscription or raise the limits",
  },
];

export class RenderFindingsLog {
  private readonly last = KINDS.map(() => "");

  constructor(private readonly logger: Logger) {}

  observe(findings: Findings): void {
    KINDS.forEach((kind, index) => {
      const key = kind.key(findings);
      if (key !== "" && key !== this.last[index]) this.logger.warn(kind.fields(findings), kind.message);
      this.last[index] = key;
    });
  }
}
