// Typed wrappers over the app's commands (src-tauri/src/commands.rs). Every command
// fails with a {code, message} object; `call` turns that into an ApiError.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

export class ApiError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    if (error && typeof error === "object" && "code" in error && "message" in error) {
      const { code, message } = error as { code: string; message: string };
      throw new ApiError(code, message);
    }
    throw new ApiError("internal", String(error));
  }
}

export interface Filters {
  from: string | null;
  to: string | null;
  countries: string[];
  accusers: string[];
  accused: string[];
  categories: string[];
  source: string | null;
  speaker: string | null;
  query: string | null;
}

export const emptyFilters = (): Filters => ({
  from: null,
  to: null,
  countries: [],
  accusers: [],
  accused: [],
  categories: [],
  source: null,
  speaker: null,
  query: null,
});

export type Bucket = "day" | "week" | "month" | "quarter" | "year";

export type ChartKind =
  | { mentions: "count" | "statements" | "share" }
  | { accusations: "accused" | "category" }
  | { ranking: "mentioned" | "accused" | "accusing" }
  | "matrix";

export interface ChartSpec {
  kind: ChartKind;
  filters: Filters;
  bucket: Bucket | null;
  top: number | null;
  include_organisations: boolean;
  title: string | null;
}

export interface Period {
  start: string;
  end: string;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Band {
  key: string;
  label: string;
  start: number;
  end: number;
}

export interface Mark {
  column: number | null;
  row: number | null;
  series: number | null;
  rect: Rect;
  value: number;
}

export interface Geometry {
  width: number;
  height: number;
  plot: Rect;
  columns: Band[];
  rows: Band[];
  series: { key: string; label: string; colour: string }[];
  marks: Mark[];
}

export interface Series {
  key: string;
  label: string;
  neutral: boolean;
  values: number[];
}

export type Body =
  | { time: { bucket: Bucket; periods: Period[]; series: Series[]; style: string; percent: boolean } }
  | { ranking: { key: string; label: string; value: number }[] }
  | { matrix: { accusers: { key: string; label: string }[]; accused: { key: string; label: string }[]; counts: number[][] } };

export interface Chart {
  title: string;
  caption: string;
  range: Period | null;
  body: Body;
}

export interface DrawnChart {
  svg: string;
  geometry: Geometry;
  chart: Chart;
}

export interface Selection {
  period: Period | null;
  key: string | null;
  others: string[];
  accuser: string | null;
}

export interface EvidenceItem {
  statement_id: number;
  date: string | null;
  title: string | null;
  source: string | null;
  speaker: string | null;
  sentence_start: number;
  sentence_end: number;
  sentence: string;
  country: string;
  accuser: string | null;
  cue: string | null;
  categories: string[];
}

export interface Evidence {
  total: number;
  items: EvidenceItem[];
}

export type SortColumn = "date" | "title" | "source" | "speaker" | "mentions" | "accusations" | "ingested";

export interface ListQuery {
  filters: Filters;
  sort: SortColumn;
  descending: boolean;
  offset: number;
  limit: number;
}

export interface StatementRow {
  id: number;
  date: string | null;
  title: string | null;
  source: string | null;
  speaker: string | null;
  speaker_country: string | null;
  mentions: number;
  accusations: number;
  file_gone: boolean;
  path: string;
}

export interface Page {
  total: number;
  offset: number;
  rows: StatementRow[];
}

export interface Field {
  name: string;
  value: string | null;
  source: string | null;
}

export interface MentionSpan {
  start: number;
  end: number;
  text: string;
  country: string;
  country_name: string;
  kind: string;
}

export interface AccusationSpan {
  start: number;
  end: number;
  sentence: string;
  accuser: string;
  accuser_name: string;
  accused: string;
  accused_name: string;
  cue: string;
  categories: string[];
}

export type CorrectedField = "date" | "speaker" | "speaker_country";

export interface Correction {
  field: CorrectedField;
  value: string | null;
  original: string | null;
  original_source: string | null;
  corrected_at: string;
}

export interface StatementDetail {
  id: number;
  path: string;
  item: number;
  format: string;
  encoding: string | null;
  ingested_at: string;
  file_modified: string | null;
  file_gone: boolean;
  current: boolean;
  superseded_by: number | null;
  fields: Field[];
  text: string;
  mentions: MentionSpan[];
  accusations: AccusationSpan[];
  versions: { id: number; ingested_at: string; current: boolean }[];
  corrections: Correction[];
}

export interface Choice {
  value: string;
  label: string;
  count: number;
}

export interface FilterChoices {
  countries: Choice[];
  accusers: Choice[];
  accused: Choice[];
  categories: Choice[];
  sources: Choice[];
  speakers: Choice[];
  first_date: string | null;
  last_date: string | null;
}

/** The totals the dashboard shows (`Store::totals`: cheap at a million statements). */
export interface Totals {
  statements: number;
  mentions: number;
  accusations: number;
  failed_files: number;
}

export interface Overview {
  stats: Totals;
  database: string;
}

export interface Settings {
  watch_folders: string[];
  poll_seconds: number | null;
  stability_ms: number;
}

export interface ActivityEvent {
  at: string;
  kind: string;
  path: string;
  message: string;
  statement_ids: number[];
}

export interface Activity {
  state: string;
  error: string | null;
  folders: string[];
  polling: boolean;
  progress: { root: string; scanning: boolean; queued: number; done: number };
  recent: ActivityEvent[];
  warnings: string[];
  ingested: number;
  duplicates: number;
  failed: number;
}

export interface LogEntry {
  id: number;
  at: string;
  path: string;
  outcome: string;
  reason: string | null;
  statement_id: number | null;
}

export type ExportFormat = "png" | "svg" | "pdf" | "csv";

export const api = {
  overview: () => call<Overview>("overview"),
  filterChoices: () => call<FilterChoices>("filter_choices"),
  listStatements: (query: ListQuery) => call<Page>("list_statements", { query }),
  statement: (id: number) => call<StatementDetail>("get_statement", { id }),
  correct: (id: number, changes: { field: CorrectedField; value: string | null }[]) =>
    call<StatementDetail>("correct_statement", { id, changes }),
  drawChart: (spec: ChartSpec, width: number, height: number) =>
    call<DrawnChart>("draw_chart", { spec, width, height }),
  drillDown: (spec: ChartSpec, selection: Selection) => call<Evidence>("drill_down", { spec, selection }),
  exportChart: (spec: ChartSpec, format: ExportFormat, width: number, height: number) =>
    call<string | null>("export_chart", { spec, format, width, height }),
  settings: () => call<Settings>("get_settings"),
  saveSettings: (options: { poll_seconds: number | null; stability_ms: number }) =>
    call<Settings>("save_settings", { options }),
  addWatchFolder: () => call<Settings>("add_watch_folder"),
  removeWatchFolder: (folder: string) => call<Settings>("remove_watch_folder", { folder }),
  activity: () => call<{ activity: Activity; failed: LogEntry[] }>("activity"),
  retryFile: (path: string) => call<string>("retry_file", { path }),
  revealFile: (id: number) => call<void>("reveal_statement_file", { id }),
  onActivity: (handler: (event: ActivityEvent) => void): Promise<UnlistenFn> =>
    listen<ActivityEvent>("activity", (event) => handler(event.payload)),
};
