// Reads a boards sheet (one row per board: Board, Chair (role), Slack channel, Teams channel, lead
// times in working days, meeting dates) into the PlanDocument's boards. Pure.
//
// Meeting dates: one or more per cell, separated by ";" or new lines, each a date AND time
// ("2024-12-04 14:00", "04/12/2024 14:00", or a spreadsheet date-time cell), London time. A date
// without a time is refused: sendbot counts lead times back from the meeting's start and will not guess it.
import type { ImportProblem } from './import-errors.js';
import { headersOf, matchHeaders } from './match-headers.js';
import type { BoardInput } from './plan-document.js';
import { readRowCells, type TableRow } from './table-cells.js';

export type BoardField = 'name' | 'chair_role' | 'slack_channel' | 'teams_channel' | 'update_window' | 'reminder' | 'papers' | 'meetings';

export const BOARD_HEADER_ALIASES: Record<BoardField, readonly string[]> = {
  name: ['Board', 'Board name', 'Boards'],
  chair_role: ['Chair', 'Chair role', 'Chaired by', 'Chair_role'],
  slack_channel: ['Slack channel', 'slack_channel', 'Slack'],
  teams_channel: ['Teams channel', 'teams_channel', 'Teams'],
  update_window: ['Update window', 'update_window', 'Updates open', 'Update window days'],
  reminder: ['Reminder', 'Reminder days', 'Reminder lead time'],
  papers: ['Papers', 'Papers days', 'Papers lead time', 'Papers due'],
  meetings: ['Meeting dates', 'Meetings', 'Meeting date', 'Next meetings', 'Meeting times'],
};

export const BOARD_LABEL: Record<BoardField, string> = {
  name: 'Board',
  chair_role: 'Chair (role)',
  slack_channel: 'Slack channel',
  teams_channel: 'Teams channel',
  update_window: 'Update window (working days)',
  reminder: 'Reminder (working days)',
  papers: 'Papers (working days)',
  meetings: 'Meeting dates',
};

const FIELDS = Object.keys(BOARD_HEADER_ALIASES) as BoardField[];
const LEAD_TIME_MAX = { update_window: 60, reminder: 60, papers: 60 } as const;

/** "2024-12-04 14:00", "2024-12-04T14:00", "04/12/2024 14:00" → "2024-12-04T14:00"; else undefined. */
export function readMeetingText(text: string): string | undefined {
  const t = text.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (iso) return `${iso[1]}T${(iso[2] as string).padStart(2, '0')}:${iso[3]}${iso[4] ?? ''}`;
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2}),?\s+(\d{1,2})[:.](\d{2})$/.exec(t);
  if (uk) {
    const year = (uk[3] as string).length === 2 ? `20${uk[3]}` : (uk[3] as string);
    return `${year}-${(uk[2] as string).padStart(2, '0')}-${(uk[1] as string).padStart(2, '0')}T${(uk[4] as string).padStart(2, '0')}:${uk[5]}`;
  }
  return undefined;
}

export function readBoardsTable(rows: TableRow[], opts: { file?: string } = {}): { boards: BoardInput[]; problems: ImportProblem[]; columns: Partial<Record<BoardField, string>> } {
  const problems: ImportProblem[] = [];
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  const problem = (message: string, line?: number, column?: string): void => {
    problems.push({ ...fileField, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}), message });
  };
  const matched = matchHeaders(headersOf(rows), BOARD_HEADER_ALIASES, BOARD_LABEL, opts.file);
  problems.push(...matched.problems);
  const col = matched.columns;
  const boards: BoardInput[] = [];
  const present = FIELDS.flatMap((f) => (col[f] === undefined ? [] : [[f, col[f]] as const]));
  for (const { row, cells } of rows) {
    const { vals, given } = readRowCells(cells, present, row, problem);
    if (given === 0) continue;
    if (vals.name === undefined) {
      problem('the board name is blank on a row that has other values; every row is one board', row, col.name);
      continue;
    }
    const board: BoardInput = { name: vals.name, meetings: [] };
    if (vals.chair_role !== undefined) board.chair_role = vals.chair_role;
    if (vals.slack_channel !== undefined) board.slack_channel = vals.slack_channel;
    if (vals.teams_channel !== undefined) board.teams_channel = vals.teams_channel;
    for (const f of ['update_window', 'reminder', 'papers'] as const) {
      const text = vals[f];
      if (text === undefined) continue;
      const days = /^(\d{1,2})(?:\s*(?:working\s+)?days?)?$/i.exec(text);
      const n = days ? Number(days[1]) : Number.NaN;
      if (!(n >= (f === 'update_window' ? 1 : 0) && n <= LEAD_TIME_MAX[f])) {
        problem(`"${text}" is not a number of working days; write a whole number from ${f === 'update_window' ? 1 : 0} to ${LEAD_TIME_MAX[f]}, e.g. 5`, row, col[f]);
        continue;
      }
      board.lead_times = { ...board.lead_times, [f]: n };
    }
    const meetingCell = col.meetings !== undefined ? cells[col.meetings] : undefined;
    if (meetingCell instanceof Date) {
      // A spreadsheet date-time holds the wall-clock time as written (London), stored as if UTC.
      const at = Number.isNaN(meetingCell.getTime()) ? undefined : meetingCell.toISOString().slice(0, 16);
      if (at === undefined || at.endsWith('T00:00')) {
        problem('the meeting date has no time; write the date and start time, e.g. 2024-12-04 14:00', row, col.meetings);
      } else board.meetings.push({ at, sample: false });
    } else if (vals.meetings !== undefined) {
      for (const part of vals.meetings.split(/[;\n]/).map((s) => s.trim()).filter((s) => s !== '')) {
        const at = readMeetingText(part);
        if (at === undefined) problem(`"${part}" is not a meeting date and time; write e.g. 2024-12-04 14:00 (several separated by ";")`, row, col.meetings);
        else board.meetings.push({ at, sample: false });
      }
    }
    boards.push(board);
  }
  return { boards, problems, columns: col };
}
