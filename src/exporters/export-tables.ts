// The tables `sendbot export` writes (actions, the update trail, date changes, KPIs and every
// reading), as plain rows of typed cells. The CSV and XLSX writers decide how each kind of cell
// looks; this file decides what the columns are. Calendar dates stay dates and instants stay
// instants, so a spreadsheet can sort and filter them; both are shown in UK time.
import { assessKpi } from '../domain/kpi-assessment.js';
import { formatDate } from '../messages/format.js';
import { isOverdue } from '../domain/overdue.js';
import { workingDaysBetween } from '../domain/working-calendar.js';
import type { ExportData } from '../store/export-repository.js';

/** A calendar date (ISO, Europe/London), or an instant (UTC ISO) shown in UK time. */
export type ExportCell = string | number | boolean | null | { date: string } | { instant: string };

export interface ExportColumn {
  header: string;
  /** Width in characters, for spreadsheets. */
  width: number;
}

export interface ExportTable {
  /** File name stem for CSV (`actions` → actions.csv). */
  name: string;
  /** Sheet name for XLSX (at most 31 characters). */
  title: string;
  /** What a row is, plural, for "Exported 92 actions, …". */
  noun: string;
  columns: ExportColumn[];
  rows: ExportCell[][];
}

const date = (iso: string | null): ExportCell => (iso ? { date: iso } : null);
const instant = (iso: string | null): ExportCell => (iso ? { instant: iso } : null);
const col = (header: string, width = 14): ExportColumn => ({ header, width });

const STATUS_WORD: Record<string, string> = { green: 'green', amber: 'amber', red: 'red', blue: 'complete', not_started: 'not started' };
const status = (s: string | null): ExportCell => (s ? (STATUS_WORD[s] ?? s) : null);

/**
 * The Actions sheet is the plan in the layout `sendbot import` reads back: the first columns are the
 * plan as its file gives it (with a Ref, so each row says which action it is), so exporting and
 * importing again changes nothing, and editing one cell changes exactly that one thing. The columns
 * after "% complete" are sendbot's own record (read, never imported).
 */
export const ACTIONS_SHEET_COLUMNS = {
  /** Read back by the import. */
  plan: ['Ref', 'Plan code', 'Plan', 'Board', 'Workstream', 'Accountable lead', 'Workstream date', 'Action', 'Owner', 'With', 'Due (as written)', 'Status', '% complete'],
  /** sendbot's record: shown, never imported. */
  record: ['Due date (read)', 'Baseline due', 'Start', 'Accountable person', 'Overdue', 'Working days overdue', 'Date flags', 'Latest update', 'Updated by', 'Updated on'],
} as const;

function actionsTable(data: ExportData, today: string): ExportTable {
  const widths = [9, 8, 30, 24, 40, 28, 24, 60, 24, 30, 24, 11, 8, 11, 11, 11, 28, 8, 10, 16, 50, 20, 17];
  const headers = [...ACTIONS_SHEET_COLUMNS.plan, ...ACTIONS_SHEET_COLUMNS.record];
  return {
    name: 'actions',
    noun: 'actions',
    title: 'Actions',
    columns: headers.map((h, i) => col(h, widths[i])),
    rows: data.actions.map((a) => {
      const overdue = isOverdue(a, today);
      const u = a.lastUpdate;
      const said = u ? [u.kind === 'no_change' ? 'no change' : null, u.status ? STATUS_WORD[u.status] : null, u.percent !== null ? `${u.percent}%` : null, u.note].filter(Boolean).join(', ') : null;
      const f = a.planFile;
      return [
        a.ref,
        a.planCode,
        a.planTitle,
        // The board the action reports to: its workstream's own, else its plan's.
        a.boardName,
        a.workstreamTitle,
        f.lead,
        f.workstreamDate,
        a.text,
        f.ownOwner,
        [...f.workstreamWith, ...f.ownWith].join('; ') || null,
        dateAsWritten(a),
        status(a.status),
        a.percent,
        date(a.due),
        date(a.baselineDue),
        date(a.start),
        a.ownerPersonId !== null ? a.ownerPersonName : a.ownerHolders.join('; ') || null,
        overdue,
        overdue && a.due ? workingDaysBetween(a.due, today) : null,
        a.flags.join('; ') || null,
        said || null,
        u ? (u.personName ?? (u.platform === 'import' ? 'plan import' : null)) : null,
        instant(u?.at ?? null),
      ];
    }),
  };
}

/**
 * The action's date as the sheet should say it: the phrase its plan gave (blank when it takes its
 * workstream's date), or, where sendbot moved the date since (an approved date change), the date now
 * held, written out, so the workbook shows the record and importing it back agrees with it.
 */
function dateAsWritten(a: ExportData['actions'][number]): string | null {
  const moved = a.planFile.fileDue !== undefined && a.planFile.fileDue !== a.due;
  if (moved && a.due) return writtenDate(a.due);
  if (a.dateSource !== 'action' || a.dateText === null) return null;
  // A date read from the action's own words ("… by March 25 … in 2025/26") is written as the date
  // read: the words, put in a date cell, would be read as one phrase, not as the text's dates.
  if (fromText(a.dateText, a.text)) return a.due ? writtenDate(a.due) : null;
  return a.dateText;
}

/** "31 Jul 2025": a date the deadline reader reads back as that day. */
const writtenDate = (iso: string): string => formatDate(iso);

/** Whether every part of a date phrase ("by March 25 / in 2025/26") is in the action's text. */
function fromText(phrase: string, text: string): boolean {
  const haystack = text.toLowerCase();
  return phrase.split(' / ').every((part) => part.trim() !== '' && haystack.includes(part.trim().toLowerCase()));
}

export function buildExportTables(data: ExportData, today: string): ExportTable[] {
  // The reading that counts for each period is the latest recorded for it (the series keeps only those).
  const standing = new Set(data.kpis.flatMap((k) => k.readings.map((r) => r.id)));
  const actions = actionsTable(data, today);

  const updates: ExportTable = {
    name: 'updates',
    noun: 'updates',
    title: 'Updates',
    columns: [
      col('Update id', 9),
      col('Recorded at (UK time)', 17),
      col('Ref', 9),
      col('By', 22),
      col('By email', 28),
      col('Platform', 9),
      col('Kind', 10),
      col('Status', 11),
      col('Percent', 8),
      col('Note', 50),
      col('Evidence link', 30),
      col('As typed', 50),
      col('As delegate for', 22),
    ],
    rows: data.updates.map((u) => [u.id, instant(u.at), u.ref, u.personName, u.personEmail, u.platform, u.kind.replace('_', ' '), status(u.status), u.percent, u.note, u.evidenceUrl, u.rawText, u.onBehalfOf]),
  };

  const dateChanges: ExportTable = {
    name: 'date-changes',
    noun: 'date changes',
    title: 'Date changes',
    columns: [
      col('Ref', 9),
      col('Requested at (UK time)', 17),
      col('Requested by', 22),
      col('From', 11),
      col('To', 11),
      col('As written', 24),
      col('Reason', 40),
      col('State', 10),
      col('Decided at (UK time)', 17),
      col('Decided by', 22),
    ],
    rows: data.dateChanges.map((c) => [c.ref, instant(c.requestedAt), c.requestedBy, date(c.fromDue), date(c.toDue), c.phrase, c.reason, c.state, instant(c.decidedAt), c.decidedBy]),
  };

  const kpis: ExportTable = {
    name: 'kpis',
    noun: 'KPIs',
    title: 'KPIs',
    // The KPI sheet's headings, up to Trajectory, are the ones `sendbot import` reads back.
    columns: [
      col('Code', 11),
      col('KPI', 50),
      col('Plan', 7),
      col('Workstream', 11),
      col('Owner', 28),
      col('Unit', 9),
      col('Direction', 11),
      col('Reported', 10),
      col('Baseline value', 10),
      col('Baseline', 30),
      col('Baseline as of', 12),
      col('Trajectory', 40),
      col('Latest value', 10),
      col('Latest period', 14),
      col('Expected then', 10),
      col('Judged against', 14),
      col('Position', 11),
      col('Next target', 10),
      col('Next target by', 12),
    ],
    rows: data.kpis.map((k) => {
      const a = assessKpi(k, today);
      return [
        k.code,
        k.name,
        k.planCode,
        k.workstreamNumber,
        // The KPI's own owner (blank: its workstream's lead, as the import reads a blank).
        data.kpiOwners.get(k.id) ?? null,
        k.unit,
        k.direction === 'higher' ? 'higher' : 'lower',
        k.frequency ?? 'monthly',
        k.baseline.value,
        k.baseline.text,
        date(k.baseline.asOf),
        k.trajectory.map((t) => `${t.targetText} by ${t.byText}`).join('; ') || null,
        a.latest?.value ?? null,
        a.latest?.periodLabel ?? null,
        a.expected,
        a.basis ? a.basis.replace('_', ' ') : null,
        a.position.replace('_', ' '),
        a.nextTarget?.target ?? null,
        date(a.nextTarget?.due ?? null),
      ];
    }),
  };

  const kpiReadings: ExportTable = {
    name: 'kpi-readings',
    noun: 'KPI readings',
    title: 'KPI readings',
    columns: [
      col('Reading id', 9),
      col('KPI', 11),
      col('Period', 14),
      col('Period start', 12),
      col('Period end', 12),
      col('Value', 9),
      col('Counts', 8),
      col('Sample figure', 8),
      col('Recorded at (UK time)', 17),
      col('Recorded by', 22),
      col('Platform', 9),
      col('Kind', 10),
      col('Note', 40),
      col('As typed', 40),
    ],
    rows: data.kpiReadings.map((r) => [
      r.id,
      r.kpiCode,
      r.periodLabel,
      date(r.periodStart ?? null),
      date(r.periodEnd),
      r.value,
      standing.has(r.id),
      r.isSample ?? false,
      instant(r.recordedAt),
      r.recordedBy,
      r.platform,
      r.kind,
      r.note,
      r.rawText,
    ]),
  };

  const people: ExportTable = {
    name: 'people',
    noun: 'people',
    title: 'People',
    columns: [col('Name', 24), col('Email', 30), col('Roles', 40), col('Slack user ID', 14), col('Teams user ID', 24), col('Admin', 8), col('Weekly digest', 8)],
    rows: data.people.map((p) => [p.name, p.email, p.roles.join('; ') || null, p.slackUserId, p.teamsUserId, p.isAdmin ? 'yes' : 'no', p.weeklyDigest ? 'yes' : 'no']),
  };

  // The sheets a plan workbook has (Actions, KPIs, People) first, then sendbot's own record.
  return [actions, kpis, people, updates, dateChanges, kpiReadings];
}

/**
 * Text a spreadsheet could take for a formula: starting with = + - @, or a tab or carriage return
 * (OWASP's list). Writers make such text inert.
 */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text);
}
