// `sendbot export [--format xlsx|csv] [--board <name>] [--out <path>] [--force]`: the plan's actions,
// the full update trail and every due-date change (and KPIs with their readings), for a board
// paper, an inspection evidence pack or another system. XLSX: one workbook, a sheet per table.
// CSV: a folder with one file per table. Nothing is overwritten without --force.
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { matchBoard } from '../domain/board-match.js';
import { listBoards } from '../store/boards-repository.js';
import { type CliContext, CliUsageError } from './context.js';
import { createSafeOutput } from './safe-output.js';

interface ExportOptions {
  format: 'xlsx' | 'csv';
  board?: string;
  out?: string;
  force?: boolean;
}

export function registerExportCommand(program: Command, context: () => CliContext): void {
  program
    .command('export')
    .description('write actions, the update trail, date changes and KPIs to an XLSX workbook or a folder of CSV files')
    .addOption(new Option('--format <format>', 'xlsx: one workbook, a sheet per table; csv: a folder, a file per table').choices(['xlsx', 'csv']).default('xlsx'))
    .option('--board <name>', 'only actions reporting to this board (any case; a unique part of the name is enough)')
    .option('--out <path>', 'the .xlsx file, or the folder for CSV files (default: sendbot-export-<date> in the current folder)')
    .option('--force', 'replace an existing file (or CSV files in the folder)')
    .action(async (opts: ExportOptions) => {
      const ctx = context();
      const now = ctx.clock.now();
      const today = now.toISODate() as string;
      let boardId: number | undefined;
      let boardName: string | undefined;
      if (opts.board) {
        const boards = await listBoards(await ctx.database());
        const names = boards.map((b) => b.name).join(', ') || 'none yet (sendbot import adds them)';
        const match = matchBoard(boards, opts.board);
        if (match.kind === 'none') throw new CliUsageError(`No board matches "${opts.board}". Boards: ${names}.`);
        if (match.kind === 'ambiguous') throw new CliUsageError(`"${opts.board}" matches several boards: ${match.candidates.map((b) => b.name).join(', ')}. Give more of the name.`);
        boardId = match.board.id;
        boardName = match.board.name;
      }
      const out = resolve(opts.out ?? `sendbot-export-${today}${opts.format === 'xlsx' ? '.xlsx' : ''}`);
      if (opts.format === 'xlsx' && !out.toLowerCase().endsWith('.xlsx')) throw new CliUsageError(`The XLSX file name should end in .xlsx (got ${out}). Example: --out board-paper.xlsx`);
      // Never onto the database, never through a link, 0600 (src/cli/safe-output.ts).
      const output = createSafeOutput(ctx.databasePath, Boolean(opts.force));
      if (opts.format === 'csv') output.checkFolder(out);
      if (!opts.force && existsSync(out) && (opts.format === 'xlsx' || readdirSync(out).some((f) => f.endsWith('.csv')))) {
        throw new CliUsageError(`${out} already ${opts.format === 'xlsx' ? 'exists' : 'has CSV files in it'}. Nothing was written; choose another --out, or add --force to replace it.`);
      }

      // Loaded here, not at CLI start: only this command needs them.
      const [{ loadExportData }, { buildExportTables }] = await Promise.all([import('../store/export-repository.js'), import('../exporters/export-tables.js')]);
      const tables = buildExportTables(await loadExportData(await ctx.database(), boardId === undefined ? {} : { boardId }), today);
      let written: string[];
      if (opts.format === 'xlsx') {
        const { writeXlsx } = await import('../exporters/write-xlsx.js');
        await output.writeWith(out, (temporary) => writeXlsx(tables, temporary, { creator: 'sendbot', created: now.toJSDate() }));
        written = [out];
      } else {
        const { writeCsvFolder } = await import('../exporters/write-csv.js');
        written = writeCsvFolder(tables, out, output);
      }
      ctx.print(`Exported${boardName ? ` ${boardName}:` : ''} ${tables.map((t) => `${t.rows.length} ${t.noun}`).join(', ')}.`);
      for (const path of written) ctx.print(`  ${path}`);
    });
}
