// Reads a people list (one person per row) from table rows, e.g. people.csv:
//   name, email, role, slack_user_id, teams_user_id, admin[, weekly_digest]
// Each row is checked with personSchema; problems name the row and column.
import { personSchema, type PersonInput } from './plan-document.js';
import { plainErrorMap } from './plain-issues.js';
import type { ImportProblem } from './import-errors.js';
import { parseCsvRows } from './read-csv.js';
import { headersOf, matchHeaders, readRowCells, type TableRow } from './read-plan-table.js';

export type PeopleField = 'name' | 'email' | 'roles' | 'slack_user_id' | 'teams_user_id' | 'admin' | 'weekly_digest';

export const PEOPLE_HEADER_ALIASES: Record<PeopleField, readonly string[]> = {
  name: ['name', 'Full Name'],
  email: ['email', 'Email Address', 'E-mail'],
  roles: ['role', 'roles'],
  slack_user_id: ['slack_user_id', 'Slack User ID', 'Slack ID', 'Slack Member ID'],
  teams_user_id: ['teams_user_id', 'Teams User ID', 'Teams ID'],
  admin: ['admin', 'Is Admin', 'Administrator'],
  weekly_digest: ['weekly_digest', 'Weekly Digest'],
};

const LABEL: Record<PeopleField, string> = {
  name: 'name',
  email: 'email',
  roles: 'role',
  slack_user_id: 'slack_user_id',
  teams_user_id: 'teams_user_id',
  admin: 'admin',
  weekly_digest: 'weekly_digest',
};

const REQUIRED: readonly PeopleField[] = ['name', 'email'];
const FIELDS = Object.keys(PEOPLE_HEADER_ALIASES) as PeopleField[];

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

/** yes/no/true/false/y/n/1/0 in any case; blank is false; anything else is undefined. */
export function parseYesNo(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === '' || NO.has(t)) return false;
  if (YES.has(t)) return true;
  return undefined;
}

/** Roles in one cell are separated by ";" or new lines ("/" may be part of a role's name). */
export function splitRoles(text: string): string[] {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function readPeopleTable(
  rows: TableRow[],
  opts: { file?: string } = {},
): { people: PersonInput[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  const problem = (message: string, line?: number, column?: string): void => {
    problems.push({
      ...fileField,
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
      message,
    });
  };

  const headers = headersOf(rows);
  if (rows.length === 0) {
    problem('the file has no rows below the header row, so there are no people to import');
    return { people: [], problems };
  }
  const matched = matchHeaders(headers, PEOPLE_HEADER_ALIASES, LABEL, opts.file);
  problems.push(...matched.problems);
  const col = matched.columns;
  const missing = REQUIRED.filter((f) => col[f] === undefined);
  if (missing.length > 0) {
    const found = headers.filter((h) => h.trim() !== '').map((h) => `"${h}"`).join(', ');
    for (const f of missing) problem(`missing the "${LABEL[f]}" column; the columns found were ${found || '(none)'}`);
    return { people: [], problems };
  }

  const people: PersonInput[] = [];
  const emailRow = new Map<string, number>();
  const present = FIELDS.flatMap((f) => (col[f] === undefined ? [] : [[f, col[f]] as const]));
  for (const { row, cells } of rows) {
    const { vals, given, bad } = readRowCells(cells, present, row, problem);
    let ok = bad.size === 0;
    // A row whose only cells were refused is not blank: it was meant to be a person.
    if (given === 0 && ok) continue;

    const flags: Partial<Record<'admin' | 'weekly_digest', boolean>> = {};
    for (const f of ['admin', 'weekly_digest'] as const) {
      const flag = parseYesNo(vals[f] ?? '');
      if (flag === undefined) {
        problem(`"${vals[f]}" is not yes or no (use yes/no, y/n, true/false or 1/0; blank means no)`, row, col[f]);
        ok = false;
      } else flags[f] = flag;
    }

    const parsed = personSchema.safeParse(
      {
      name: vals.name ?? '',
      email: vals.email ?? '',
      roles: splitRoles(vals.roles ?? ''),
      ...(vals.slack_user_id !== undefined ? { slack_user_id: vals.slack_user_id } : {}),
      ...(vals.teams_user_id !== undefined ? { teams_user_id: vals.teams_user_id } : {}),
      ...flags,
      },
      { error: plainErrorMap },
    );
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        const column = typeof field === 'string' && field in col ? col[field as PeopleField] : undefined;
        problem(issue.message, row, column);
      }
      continue;
    }
    if (!ok) continue;

    const first = emailRow.get(parsed.data.email);
    if (first !== undefined) {
      problem(`${parsed.data.email} is already listed on row ${first}; each person needs their own email`, row, col.email);
      continue;
    }
    emailRow.set(parsed.data.email, row);
    people.push(parsed.data);
  }
  return { people, problems };
}

/** Convenience: parse people.csv content and read it. Unreadable files throw ImportError. */
export function readPeopleCsv(
  content: Buffer | Uint8Array | string,
  opts: { file?: string } = {},
): { people: PersonInput[]; problems: ImportProblem[] } {
  return readPeopleTable(parseCsvRows(content, opts), opts);
}
