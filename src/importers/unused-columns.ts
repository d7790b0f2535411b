// The columns of a sheet that an import does not read, each with what it would need to be read, so
// that nothing in a plan file is dropped without a word. sendbot's own read-only columns (written by
// `sendbot export`) are set apart: the report names them once. Pure.
import { readPeriodHeading } from '../domain/kpi-periods.js';
import { type SheetKind, SHEET_KIND_NAME } from './classify-sheet.js';
import { fieldOfHeading, normaliseHeader } from './match-headers.js';
import { BOARD_HEADER_ALIASES } from './read-boards-table.js';
import { KPI_HEADER_ALIASES } from './read-kpi-table.js';
import { PEOPLE_HEADER_ALIASES } from './read-people-csv.js';
import { PLAN_HEADER_ALIASES, SENDBOT_OWN_HEADINGS } from './plan-headings.js';

export interface UnusedColumn {
  sheet: string;
  heading: string;
  /** What it would need to be read. */
  needs: string;
}

const OWN = new Set(SENDBOT_OWN_HEADINGS.map(normaliseHeader));

/** True for a read-only column that `sendbot export` writes ("Latest update", "Due date (read)"…). */
export function isSendbotOwnHeading(heading: string): boolean {
  return OWN.has(normaliseHeader(heading));
}

const TABLES: Array<[Exclude<SheetKind, 'settings'>, Record<string, readonly string[]>]> = [
  ['plan', PLAN_HEADER_ALIASES],
  ['kpis', KPI_HEADER_ALIASES],
  ['people', PEOPLE_HEADER_ALIASES],
  ['boards', BOARD_HEADER_ALIASES],
];

/**
 * The unused columns of one sheet read as `kind`. `used` are the headings read; `shadowed` those that
 * lost to a better match for the same field (see match-headers.ts).
 */
export function unusedColumns(
  sheet: string,
  kind: SheetKind,
  headers: readonly string[],
  used: ReadonlySet<string>,
  shadowed: ReadonlyArray<{ heading: string; by: string }> = [],
): { unused: UnusedColumn[]; own: string[] } {
  const unused: UnusedColumn[] = [];
  const own: string[] = [];
  for (const heading of headers) {
    if (used.has(heading)) continue;
    if (isSendbotOwnHeading(heading)) {
      own.push(heading);
      continue;
    }
    unused.push({ sheet, heading, needs: whatItNeeds(heading, kind, shadowed) });
  }
  return { unused, own };
}

function whatItNeeds(heading: string, kind: SheetKind, shadowed: ReadonlyArray<{ heading: string; by: string }>): string {
  const lost = shadowed.find((s) => s.heading === heading);
  if (lost) return `it means the same as "${lost.by}", which is read instead; remove one of them or rename this one`;
  if (kind !== 'kpis' && readPeriodHeading(heading) !== undefined) {
    return 'a period column (KPI readings) is read on a KPI sheet: one row per KPI, with a "KPI" and a "Plan" column';
  }
  for (const [other, aliases] of TABLES) {
    if (other !== kind && fieldOfHeading(heading, aliases) !== undefined) {
      return `it is a ${SHEET_KIND_NAME[other]} heading; put it on a ${SHEET_KIND_NAME[other]} sheet to have it read`;
    }
  }
  return `sendbot keeps no such field for ${SHEET_KIND_NAME[kind]}; it stays in your file but is not imported (rename it to a heading sendbot reads if it is one of them)`;
}
