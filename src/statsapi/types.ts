// Wire types of the Stats API (seed + reference/statsapi.md).

// ---- subscription request -------------------------------------------------

export interface ColumnRequest {
  id: string;
  stat_name?: string;
  statName?: string;
  sum_stat_names?: string[];
  dispositions?: string[];
}

export interface GridRequest {
  id: string;
  columns: ColumnRequest[];
  order_by?: string;
  order_dir?: string;
  limit?: string | number;
  filter_by?: string;
  filter_value?: string;
  filter_operation?: string;
  [extra: string]: unknown;
}

export interface AppRequest {
  stats_totals?: string[];
  stats_totals_service_ids?: string[];
  stats_totals_dispositions?: string[];
  service_grids?: GridRequest[];
  agent_grids?: GridRequest[];
  chat_messages?: { filter?: string; limit?: string | number };
}

/** Keyed by app id. */
export type SubscriptionRequest = Record<string, AppRequest>;

// ---- subscription data ----------------------------------------------------

/** Values arrive as strings; numbers accepted; "" and null mean "no value". */
export type StatValue = string | number | boolean | null;

export type GridRow = Record<string, StatValue>;

export interface GridData {
  id: string;
  values: GridRow[];
}

export interface ChatMessage {
  id: string;
  login_id: string;
  first_name: string;
  last_name: string;
  /** ISO 8601, epoch seconds or epoch milliseconds. */
  send_time: string | number;
  is_urgent: string | number | boolean;
  content: string;
}

export interface AppData {
  stats_totals?: Record<string, StatValue>;
  service_grids?: GridData[];
  agent_grids?: GridData[];
  chat_messages?: ChatMessage[];
}

/** Keyed by app id. Sections not requested are absent. */
export type SubscriptionData = Record<string, AppData>;

// ---- configuration lists ----------------------------------------------------

export interface DispositionFlags {
  agentCanSelect?: boolean;
  inbound?: boolean;
  outbound?: boolean;
  preview?: boolean;
}

export interface ConfigObject {
  id: string;
  name: string;
}
