// From a click on a drawn chart to the selection whose evidence is listed: the same
// rule as `Geometry::hit` in the chart crate (a mark under the point, else the bucket).

import type { DrawnChart, Mark, Selection } from "./api";

export interface Target {
  selection: Selection;
  /** Words for the drill-down heading: "Armenia, Mar 2024". */
  label: string;
  /** The highlighted area, in chart pixels. */
  rect: { x: number; y: number; width: number; height: number };
}

export function hit(drawn: DrawnChart, x: number, y: number): Target | null {
  const { geometry } = drawn;
  const inside = (mark: Mark) =>
    x >= mark.rect.x && x <= mark.rect.x + mark.rect.width && y >= mark.rect.y && y <= mark.rect.y + mark.rect.height;
  const centre = (mark: Mark) => Math.abs(mark.rect.y + mark.rect.height / 2 - y);
  const mark = geometry.marks.filter(inside).sort((a, b) => centre(a) - centre(b))[0];
  if (mark) return target(drawn, mark.column, mark.row, mark.series, mark.rect);
  const plot = geometry.plot;
  if (x < plot.x || x > plot.x + plot.width || y < plot.y || y > plot.y + plot.height) return null;
  const column = geometry.columns.findIndex((band) => x >= band.start && x < band.end);
  const row = geometry.rows.findIndex((band) => y >= band.start && y < band.end);
  return target(drawn, column < 0 ? null : column, row < 0 ? null : row, null, null);
}

/** The target of the `index`-th column (time charts) or bar (rankings), for keyboard use. */
export function step(drawn: DrawnChart, index: number): Target | null {
  const body = drawn.chart.body;
  if ("time" in body) return target(drawn, index, null, null, null);
  if ("ranking" in body) {
    const mark = drawn.geometry.marks.find((m) => (m.row ?? m.column) === index);
    return mark ? target(drawn, mark.column, mark.row, mark.series, mark.rect) : null;
  }
  const columns = drawn.geometry.columns.length;
  if (columns === 0) return null;
  const row = Math.floor(index / columns);
  const column = index % columns;
  const mark = drawn.geometry.marks.find((m) => m.row === row && m.column === column);
  return target(drawn, column, row, null, mark?.rect ?? null);
}

/** How many keyboard stops a chart has. */
export function stops(drawn: DrawnChart): number {
  const body = drawn.chart.body;
  if ("time" in body) return body.time.periods.length;
  if ("ranking" in body) return body.ranking.length;
  return body.matrix.accusers.length * body.matrix.accused.length;
}

function target(
  drawn: DrawnChart,
  column: number | null,
  row: number | null,
  series: number | null,
  rect: Target["rect"] | null,
): Target | null {
  const { geometry, chart } = drawn;
  const body = chart.body;
  const band = (index: number | null, bands: typeof geometry.columns, vertical: boolean) => {
    const b = index === null ? undefined : bands[index];
    if (!b) return null;
    return vertical
      ? { x: b.start, y: geometry.plot.y, width: b.end - b.start, height: geometry.plot.height }
      : { x: geometry.plot.x, y: b.start, width: geometry.plot.width, height: b.end - b.start };
  };
  if ("time" in body) {
    if (column === null) return null;
    const period = body.time.periods[column];
    if (!period) return null;
    const drawnSeries = series === null ? null : body.time.series[series];
    const label = `${drawnSeries ? drawnSeries.label + ", " : ""}${geometry.columns[column]?.label ?? period.start}`;
    return {
      selection: {
        period,
        key: drawnSeries?.key ?? null,
        others: body.time.series.map((s) => s.key),
        accuser: null,
      },
      label,
      rect: rect ?? band(column, geometry.columns, true)!,
    };
  }
  if ("ranking" in body) {
    const index = row ?? column;
    const bar = index === null ? undefined : body.ranking[index];
    if (!bar) return null;
    return {
      selection: { period: null, key: bar.key, others: [], accuser: null },
      label: bar.label,
      rect: rect ?? band(row, geometry.rows, false) ?? band(column, geometry.columns, true)!,
    };
  }
  const accuser = row === null ? undefined : body.matrix.accusers[row];
  const accused = column === null ? undefined : body.matrix.accused[column];
  if (!accuser || !accused) return null;
  const cell = rect ?? {
    x: geometry.columns[column!].start,
    y: geometry.rows[row!].start,
    width: geometry.columns[column!].end - geometry.columns[column!].start,
    height: geometry.rows[row!].end - geometry.rows[row!].start,
  };
  return {
    selection: { period: null, key: accused.key, others: [], accuser: accuser.key },
    label: `${accuser.label} → ${accused.label}`,
    rect: cell,
  };
}
