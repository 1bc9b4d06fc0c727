// Date presets for the filter bar, as ISO day strings.

export interface Preset {
  label: string;
  range: () => { from: string | null; to: string | null };
}

const iso = (date: Date) => date.toISOString().slice(0, 10);

function monthsAgo(months: number) {
  const date = new Date();
  date.setUTCMonth(date.getUTCMonth() - months);
  return date;
}

export const presets: Preset[] = [
  { label: "All time", range: () => ({ from: null, to: null }) },
  { label: "Last 30 days", range: () => ({ from: iso(new Date(Date.now() - 29 * 86400000)), to: iso(new Date()) }) },
  { label: "Last 12 months", range: () => ({ from: iso(monthsAgo(12)), to: iso(new Date()) }) },
  { label: "This year", range: () => ({ from: `${new Date().getUTCFullYear()}-01-01`, to: iso(new Date()) }) },
  { label: "Last 5 years", range: () => ({ from: iso(monthsAgo(60)), to: iso(new Date()) }) },
];
