// Tick planning time and peak RSS, from bench/tick-bench.ts (owned by the tick work; not edited
// here). It runs as its own process per size (`node --import tsx bench/tick-bench.ts <size>`), which
// itself measures in fresh child processes, and prints aligned text tables; this reads them by
// column name, so reordered or added columns don't break it. The raw output is kept in the results.
import { join } from 'node:path';
import { BENCH_DIR, runTsChild } from './common.js';

export interface TickResult {
  size: number;
  /** Column name → value (numbers where the cell is a number) for this size's row of each table. */
  tables: { title: string; row: Record<string, number | string> }[];
  /** The figures the report uses, when the tables had them. */
  planMs: number | null;
  planFirstMs: number | null;
  loadMs: number | null;
  peakRssMb: number | null;
  tickMs: number | null;
  tickPeakRssMb: number | null;
  planned: number | null;
  raw: string;
}

interface Table {
  title: string;
  rows: Record<string, string>[];
}

/** Tables printed as: title line, header line, a line of dashes, rows; cells separated by 2+ spaces. */
export function parseTables(text: string): Table[] {
  const lines = text.split('\n');
  const tables: Table[] = [];
  for (let i = 1; i + 1 < lines.length; i += 1) {
    const dashes = lines[i + 1] as string;
    if (!/^\s*-+(\s+-+)*\s*$/.test(dashes) || !(lines[i] as string).trim()) continue;
    const split = (line: string) => line.trim().split(/\s{2,}/);
    const headers = split(lines[i] as string);
    const rows: Record<string, string>[] = [];
    for (let j = i + 2; j < lines.length && (lines[j] as string).trim(); j += 1) {
      const cells = split(lines[j] as string);
      if (cells.length !== headers.length) break;
      rows.push(Object.fromEntries(headers.map((h, k) => [h, cells[k] as string])));
    }
    tables.push({ title: (lines[i - 1] ?? '').trim(), rows });
  }
  return tables;
}

const num = (cell: string | undefined): number | null => {
  if (cell === undefined) return null;
  const n = Number(cell.replace(/[,_]/g, '').replace(/\s*(ms|MB|×)$/i, ''));
  return Number.isFinite(n) ? n : null;
};

export async function measureTick(size: number, timeoutMs: number): Promise<{ ok: true; result: TickResult; wallMs: number } | { ok: false; error: string; wallMs: number; raw: string }> {
  const outcome = await runTsChild(join(BENCH_DIR, 'tick-bench.ts'), [String(size)], { timeoutMs });
  if (!outcome.ok) return { ok: false, error: outcome.error ?? 'failed', wallMs: outcome.wallMs, raw: outcome.stdout };
  const tables = parseTables(outcome.stdout).map((t) => {
    // This size's row: the one whose actions column is the size, else the last row.
    const row = t.rows.find((r) => num(r.actions) === size) ?? t.rows.at(-1) ?? {};
    return { title: t.title, row: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, num(v) ?? v])) };
  });
  const pick = (column: string, mustHave?: string): number | null => {
    for (const t of tables) {
      if (mustHave && !(mustHave in t.row)) continue;
      const v = t.row[column];
      if (typeof v === 'number') return v;
    }
    return null;
  };
  const result: TickResult = {
    size,
    tables,
    planMs: pick('plan ms'),
    planFirstMs: pick('first plan ms'),
    loadMs: pick('load ms'),
    peakRssMb: pick('peak RSS', 'plan ms'),
    tickMs: pick('tick ms'),
    tickPeakRssMb: pick('peak RSS', 'tick ms'),
    planned: pick('planned'),
    raw: outcome.stdout.trim(),
  };
  if (result.planMs === null && result.peakRssMb === null) {
    return { ok: false, error: 'tick-bench output had no "plan ms" / "peak RSS" columns (format changed?)', wallMs: outcome.wallMs, raw: outcome.stdout };
  }
  return { ok: true, result, wallMs: outcome.wallMs };
}
