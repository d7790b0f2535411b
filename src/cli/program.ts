import { Command, CommanderError, Help } from 'commander';
import { formatProblem, ImportError } from '../importers/import-errors.js';
import { storageFailureMessage } from './storage-failure-message.js';
import { CLI_COMMANDS, type CliCommandEntry } from './all-commands.js';
import { CliContext, type CliIo, CliUsageError } from './context.js';
import { postgresSettings } from './postgres-settings.js';
import { plural } from '../render/format.js';

/**
 * Runs the `sendbot` CLI with `argv` (without node and script). Returns the exit code:
 * 0 success, 1 a problem the user can fix (bad file, unknown board…), 2 an unexpected failure.
 *
 * Only the named command's module is loaded (see all-commands.ts); without one (`--help`, a typo)
 * every command is listed from the table, and commander explains the mistake.
 */
export async function runCli(argv: string[], io: CliIo, commands: readonly CliCommandEntry[] = CLI_COMMANDS): Promise<number> {
  let ctx: CliContext | undefined;
  const program = withGlobalOptions(new Command('sendbot'))
    .description('sendbot: keeps a SEND improvement plan moving between board meetings')
    .showHelpAfterError()
    // Every subcommand's --help lists --db and --now too: they work after any command name.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  try {
    const entry = commandIn(argv, commands);
    if (entry) {
      const [register, { closeDatabase }, { openStore, openStoreDryRun }] = await Promise.all([entry.load(), import('../store/database.js'), import('../store/open-store.js')]);
      const postgres = postgresSettings(io.env);
      register(program, () => {
        ctx ??= new CliContext(io, program.opts(), {
          open: (location) => openStore(location, postgres),
          openCopy: (location) => openStoreDryRun(location, postgres),
          close: closeDatabase,
        });
        return ctx;
      });
    } else {
      const terms = new Map(commands.map((c) => [c.name, c.term]));
      for (const c of commands) program.command(c.name).description(c.summary);
      program.configureHelp({ showGlobalOptions: true, subcommandTerm: (cmd) => terms.get(cmd.name()) ?? new Help().subcommandTerm(cmd) });
    }
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof ImportError) {
      const [only] = error.problems;
      // A file that cannot be read at all (not a workbook, not a table) is one plain sentence.
      if (error.problems.length === 1 && only !== undefined && only.line === undefined && only.column === undefined && only.columnNumber === undefined) {
        io.stderr.write(`${formatProblem(only).replace(/\.?$/, '.')} Nothing was imported.\n`);
        return 1;
      }
      io.stderr.write(`Nothing was imported. ${plural(error.problems.length, 'problem')}:\n`);
      for (const p of error.problems) io.stderr.write(`  - ${formatProblem(p)}\n`);
      return 1;
    }
    if (error instanceof CliUsageError || (error instanceof Error && error.name === 'DatabaseOpenError')) {
      // DatabaseOpenError is matched by name: this module does not load the store (and SQLite) for --help.
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof Error && /is not an ISO date/.test(error.message)) {
      // From --now: say which option, in plain words.
      const typed = /^"(.*)" is not an ISO date/.exec(error.message)?.[1];
      io.stderr.write(typed !== undefined ? `--now "${typed}" is not a date: write it as year-month-day, with a 24-hour time if you need one, e.g. 2024-11-18 or 2024-11-18T09:00\n` : `${error.message}\n`);
      return 1;
    }
    const storage = storageFailureMessage(error);
    if (storage) {
      io.stderr.write(`${storage}\n`);
      return 1;
    }
    io.stderr.write(`sendbot failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  } finally {
    await ctx?.close();
  }
}

function withGlobalOptions(command: Command): Command {
  return command
    .option('--db <path>', 'SQLite database file, or a postgres:// address (default: DATABASE_URL, else DATABASE_PATH, else data/sendbot.db)')
    .option('--now <iso>', 'pretend it is this date-time (Europe/London), e.g. 2024-11-18T09:30');
}

/** The table entry of the command `argv` names (`sendbot --db x people …`, `sendbot help people`), read the way commander reads it. */
function commandIn(argv: string[], commands: readonly CliCommandEntry[]): CliCommandEntry | undefined {
  const { operands } = withGlobalOptions(new Command()).parseOptions(argv);
  const name = operands[0] === 'help' ? operands[1] : operands[0];
  return commands.find((c) => c.name === name);
}
