// The dashboard around the panels: the same settings for every bundled dashboard.
import { type Json, resetPanelIds } from "./panels.js";

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  refresh: string;
  /** How far back the charts look, e.g. "now-1h". */
  from: string;
  variables: Json[];
  /** Other bundled dashboards by uid; `includeVars` carries the app and grids over. */
  links: { title: string; uid: string; includeVars: boolean }[];
  /** Builds the panels (called after the panel ids are reset, so ids start at 1 per dashboard). */
  panels: () => Json[];
}

export function dashboard(spec: DashboardSpec): Json {
  resetPanelIds();
  const panels = spec.panels();
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: true,
    graphTooltip: 1,
    liveNow: false,
    refresh: spec.refresh,
    schemaVersion: 39,
    version: 1,
    timezone: "browser",
    fiscalYearStartMonth: 0,
    time: { from: spec.from, to: "now" },
    timepicker: { refresh_intervals: ["5s", "10s", "30s", "1m", "5m"] },
    templating: { list: spec.variables },
    annotations: { list: [] },
    links: spec.links.map(({ title, uid, includeVars }) => ({
      type: "link",
      title,
      url: `/d/${uid}`,
      icon: "dashboard",
      targetBlank: false,
      asDropdown: false,
      includeVars,
      keepTime: true,
      tags: [],
      tooltip: "",
    })),
    panels,
  };
}
