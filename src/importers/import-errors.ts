// Problems found while reading a plan, people list or other import file, with enough location
// for an officer to find the cell or line and fix it.

export interface ImportProblem {
  /** File name as the user knows it, e.g. "plan.csv". */
  file?: string;
  /**
   * Table files (CSV, XLSX): the 1-based spreadsheet row number, counting the header row as row 1
   * (for CSV, the line on which the record starts). YAML and other text files: the 1-based line.
   */
  line?: number;
  /** Table files: the column's header text exactly as written in the file. */
  column?: string;
  /** Table files: the column's position (1 = A), for a column without a heading. */
  columnNumber?: number;
  /** Structured files: the path of the value, e.g. "plans[0].workstreams[2].lead". */
  path?: string;
  /**
   * How `line` is shown: "row 7" or "line 7". When omitted it is "row" if the problem names a
   * column or the file is a spreadsheet/CSV, otherwise "line".
   */
  unit?: 'row' | 'line';
  message: string;
}

/** A table file's name, alone or with its sheet ("plan.xlsx [Actions]"). */
const TABLE_FILE = /\.(csv|tsv|xlsx|xlsm|xls)(?:$| \[)/i;

function lineUnit(p: ImportProblem): 'row' | 'line' {
  if (p.unit) return p.unit;
  if (p.column !== undefined || p.columnNumber !== undefined) return 'row';
  if (p.file !== undefined && TABLE_FILE.test(p.file)) return 'row';
  return 'line';
}

/**
 * One problem as a single line of text:
 *   plan.csv row 7, column "Date of Completion": formula without a cached value
 *   plan.yaml line 12, at plans[0].title: must not be empty
 */
export function formatProblem(p: ImportProblem): string {
  const where: string[] = [];
  let head = p.file ?? '';
  if (p.line !== undefined) head = `${head}${head ? ' ' : ''}${lineUnit(p)} ${p.line}`;
  if (head) where.push(head);
  if (p.column !== undefined) where.push(`column "${p.column}"`);
  else if (p.columnNumber !== undefined) where.push(`column ${columnLetters(p.columnNumber)} (no heading)`);
  if (p.path !== undefined && p.path !== '') where.push(`at ${p.path}`);
  return where.length > 0 ? `${where.join(', ')}: ${p.message}` : p.message;
}

/** 1 → "A", 27 → "AA": how a spreadsheet names the column. */
export function columnLetters(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(65 + ((k - 1) % 26)) + out;
  return out;
}

/**
 * A value in a column with no heading (past the header's last column, or under a blank heading)
 * would be silently lost: it is refused, naming its row and column, with `hint` on how to fix it.
 */
export function unheadedCell(file: string | undefined, row: number, column: number, value: string, headerColumns: number, hint: string): ImportProblem {
  const shown = value.trim().split('\n', 1)[0] ?? '';
  return {
    ...(file !== undefined ? { file } : {}),
    line: row,
    columnNumber: column,
    message:
      `"${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}" is in a column with no heading (the header row has ${headerColumns} column${headerColumns === 1 ? '' : 's'}), so it would be lost. ${hint}`,
  };
}

/** Thrown when a file cannot be imported; carries every problem found, not just the first. */
export class ImportError extends Error {
  readonly problems: ImportProblem[];

  constructor(problems: ImportProblem[] | ImportProblem | string, options?: { cause?: unknown }) {
    const list: ImportProblem[] =
      typeof problems === 'string' ? [{ message: problems }] : Array.isArray(problems) ? problems : [problems];
    const summary =
      list.length === 1
        ? formatProblem(list[0]!)
        : `${list.length} problems:\n${list.map((p) => `  - ${formatProblem(p)}`).join('\n')}`;
    super(summary, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'ImportError';
    this.problems = list;
  }
}
