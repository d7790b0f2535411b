// What a sheet of a workbook (or a CSV file) holds, told by its headings: plan actions, KPIs, people,
// boards or settings; or why it is skipped (a cover sheet, notes, a table of something else). Pure.
import { readPeriodHeading } from '../domain/kpi-periods.js';
import { fieldOfHeading, matchHeaders, normaliseHeader } from './match-headers.js';
import { BOARD_HEADER_ALIASES } from './read-boards-table.js';
import { isKpiTable, KPI_HEADER_ALIASES } from './read-kpi-table.js';
import { PEOPLE_HEADER_ALIASES } from './read-people-csv.js';
import { SETTING_HEADINGS } from './read-settings-table.js';
import { PLAN_HEADER_ALIASES, RECORD_SHEET_HEADINGS, SENDBOT_OWN_HEADINGS } from './plan-headings.js';
import { findHeaderRow, headingsOf, type SheetGrid } from './sheet-grid.js';

export type SheetKind = 'plan' | 'kpis' | 'people' | 'boards' | 'settings';

export const SHEET_KIND_NAME: Record<SheetKind, string> = {
  plan: 'plan actions',
  kpis: 'KPIs',
  people: 'people and roles',
  boards: 'boards',
  settings: 'settings',
};

export type SheetClass =
  | { kind: SheetKind; headerIndex: number; headers: string[] }
  | { kind: 'skip'; reason: string; headerIndex: number; headers: string[] };

const ALIAS_TABLES = [PLAN_HEADER_ALIASES, KPI_HEADER_ALIASES, PEOPLE_HEADER_ALIASES, BOARD_HEADER_ALIASES] as const;
const OWN = new Set(SENDBOT_OWN_HEADINGS.map(normaliseHeader));
const RECORD = new Set(RECORD_SHEET_HEADINGS.map(normaliseHeader));
const SETTING_WORDS = new Set([...SETTING_HEADINGS.setting, ...SETTING_HEADINGS.value].map(normaliseHeader));

/** True for a heading any sheet kind reads (used to find the header row below titles and notes). */
export function isKnownHeading(heading: string): boolean {
  if (OWN.has(normaliseHeader(heading)) || SETTING_WORDS.has(normaliseHeader(heading))) return true;
  if (ALIAS_TABLES.some((t) => fieldOfHeading(heading, t as Record<string, readonly string[]>) !== undefined)) return true;
  return readPeriodHeading(heading) !== undefined;
}

/** Finds the sheet's header row and says what the sheet holds. */
export function classifySheet(grid: SheetGrid): SheetClass {
  const first = grid.rows[0];
  if (first !== undefined && headingsOf(first).some((h) => h !== undefined && RECORD.has(normaliseHeader(h)))) {
    return { kind: 'skip', reason: "it is sendbot's own record (sendbot export writes it), never read back", headerIndex: 0, headers: [] };
  }
  const headerIndex = findHeaderRow(grid, isKnownHeading);
  const header = grid.rows[headerIndex];
  const headers = header === undefined ? [] : headingsOf(header).filter((h): h is string => h !== undefined);
  const skip = (reason: string): SheetClass => ({ kind: 'skip', reason, headerIndex, headers });
  if (header === undefined) return skip('it is empty');
  if (headers.length < 2 || !headers.some(isKnownHeading)) {
    return skip(grid.rows.length <= 1 || headers.length < 2 ? 'it holds no table (a cover, notes or chart sheet)' : `none of its headings is one sendbot reads (${quoteList(headers)})`);
  }
  const kind = kindOf(headers);
  const planFields = Object.keys(matchHeaders(headers, PLAN_HEADER_ALIASES).columns);
  if (kind === undefined && planFields.length >= 2) {
    // A plan table that lacks only its actions: say which column is missing, not that it is no table.
    return skip(`it has a plan's headings (${quoteList(headers)}) but no column for the actions: add one headed "Key Actions" (or "Action", "What we will do")`);
  }
  if (kind === undefined) return skip(`its headings (${quoteList(headers)}) are not those of a plan, KPI, people, boards or settings table`);
  return { kind, headerIndex, headers };
}

function kindOf(headers: readonly string[]): SheetKind | undefined {
  const plan = matchHeaders(headers, PLAN_HEADER_ALIASES).columns;
  if (plan.action !== undefined) return 'plan';
  if (isKpiTable(headers)) return 'kpis';
  const people = matchHeaders(headers, PEOPLE_HEADER_ALIASES).columns;
  if (people.name !== undefined && people.email !== undefined) return 'people';
  const boards = matchHeaders(headers, BOARD_HEADER_ALIASES).columns;
  if (boards.name !== undefined && Object.keys(boards).length >= 2) return 'boards';
  const keys = headers.map(normaliseHeader);
  if (keys.some((k) => SETTING_HEADINGS.setting.map(normaliseHeader).includes(k)) && keys.some((k) => SETTING_HEADINGS.value.map(normaliseHeader).includes(k))) {
    return 'settings';
  }
  return undefined;
}

function quoteList(headers: readonly string[]): string {
  const shown = headers.slice(0, 6).map((h) => `"${h}"`);
  return headers.length > 6 ? `${shown.join(', ')}, …` : shown.join(', ');
}
