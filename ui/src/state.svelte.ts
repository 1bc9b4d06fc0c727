// State shared by the views: the filters (the dashboard and the statement list read the
// same ones), the filter choices, the open view and statement, and the error banner.

import { api, emptyFilters, type Bucket, type FilterChoices, type Filters, type Totals } from "./api";

export type View = "dashboard" | "statements" | "activity" | "settings";

class AppState {
  view = $state<View>("dashboard");
  filters = $state<Filters>(emptyFilters());
  bucket = $state<Bucket | null>(null);
  choices = $state<FilterChoices | null>(null);
  stats = $state<Totals | null>(null);
  database = $state("");
  /** The statement open in the statement view, if any. */
  openStatement = $state<number | null>(null);
  /** Bumped whenever the database changes (a file ingested, a correction saved). */
  revision = $state(0);
  error = $state<string | null>(null);
  theme = $state<"light" | "dark">(
    localStorage.getItem("theme") === "dark" ||
      (localStorage.getItem("theme") === null && matchMedia("(prefers-color-scheme: dark)").matches)
      ? "dark"
      : "light",
  );

  /** Charts being drawn now: the filter choices wait until none is. */
  drawing = $state(0);
  /** Whether the data changed since the filter choices were last asked for. */
  choicesStale = $state(true);
  /** When the filter choices were last asked for (performance.now()). */
  choicesAsked = 0;

  /** The counts (cheap); the filter choices follow when the charts are drawn. */
  async refreshOverview() {
    this.choicesStale = true;
    try {
      const overview = await api.overview();
      this.stats = overview.stats;
      this.database = overview.database;
    } catch (error) {
      this.fail(error);
    }
  }

  async refreshChoices() {
    this.choicesStale = false;
    this.choicesAsked = performance.now();
    try {
      this.choices = await api.filterChoices();
    } catch (error) {
      this.fail(error);
    }
  }

  fail(error: unknown) {
    this.error = error instanceof Error ? error.message : String(error);
  }

  open(id: number) {
    this.openStatement = id;
    this.view = "statements";
  }

  setTheme(theme: "light" | "dark") {
    this.theme = theme;
    localStorage.setItem("theme", theme);
  }
}

export const app = new AppState();

/** A snapshot of the filters without Svelte's proxies, for sending to a command. */
export function plainFilters(): Filters {
  return $state.snapshot(app.filters) as Filters;
}
