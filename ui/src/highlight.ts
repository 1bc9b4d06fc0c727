// Splits a statement's text into runs for highlighting. Offsets from the database count
// Unicode characters (code points), so the text is split by code point, not UTF-16 unit.
// Runs are plain text: the view renders them as text nodes, never as HTML.

import type { AccusationSpan, MentionSpan } from "./api";

export interface Run {
  text: string;
  mention: MentionSpan | null;
  /** Indexes into the statement's accusations whose sentence covers this run. */
  accusations: number[];
}

export function runs(text: string, mentions: MentionSpan[], accusations: AccusationSpan[]): Run[] {
  const chars = Array.from(text);
  const cuts = new Set<number>([0, chars.length]);
  const clamp = (n: number) => Math.max(0, Math.min(chars.length, n));
  for (const span of [...mentions, ...accusations]) {
    cuts.add(clamp(span.start));
    cuts.add(clamp(span.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const result: Run[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    if (start === end) continue;
    result.push({
      text: chars.slice(start, end).join(""),
      mention: mentions.find((m) => m.start <= start && m.end >= end) ?? null,
      accusations: accusations.flatMap((a, index) => (a.start <= start && a.end >= end ? [index] : [])),
    });
  }
  return result;
}
