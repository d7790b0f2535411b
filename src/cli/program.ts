import { Command, CommanderError } from 'commander';
import { formatProblem, ImportError } from '../importers/import-errors.js';
import { registerActionsCommand } from './actions-command.js';
import { registerAskCommand } from './ask-command.js';
import { registerBackupCommand } from './backup-command.js';
import { registerBoardsCommands } from './boards-command.js';
import { CliContext, type CliIo, CliUsageError } from './context.js';
import { registerImportCommand } from './import-command.js';
import { registerPeopleCommands } from './people-command.js';

/** Extra commands registered by later layers (ask, digest, tick, outbox) without this file knowing them. */
export type CommandRegistrar = (program: Command, context: () => CliContext) => void;
const extraRegistrars: CommandRegistrar[] = [];
export function registerCliCommands(registrar: CommandRegistrar): void {
  extraRegistrars.push(registrar);
}

/**
 * Runs the `sendbot` CLI with `argv` (without node and script). Returns the exit code:
 * 0 success, 1 a problem the user can fix (bad file, unknown board…), 2 an unexpected failure.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let ctx: CliContext | undefined;
  const program = new Command('sendbot')
    .description('sendbot: keeps a SEND improvement plan moving between board meetings')
    .option('--db <path>', 'SQLite database file (default: DATABASE_PATH or data/sendbot.db)')
    .option('--now <iso>', 'pretend it is this date-time (Europe/London), e.g. 2024-11-18T09:30')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const context = () => {
    ctx ??= new CliContext(io, program.opts());
    return ctx;
  };
  registerImportCommand(program, context);
  registerActionsCommand(program, context);
  registerPeopleCommands(program, context);
  registerBoardsCommands(program, context);
  registerBackupCommand(program, context);
  registerAskCommand(program, context);
  for (const registrar of extraRegistrars) registrar(program, context);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof ImportError) {
      io.stderr.write(`Nothing was imported. ${error.problems.length} problem(s):\n`);
      for (const p of error.problems) io.stderr.write(`  - ${formatProblem(p)}\n`);
      return 1;
    }
    if (error instanceof CliUsageError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof Error && /is not an ISO date/.test(error.message)) {
      // From --now: say which option, in plain words.
      const typed = /^"(.*)" is not an ISO date/.exec(error.message)?.[1];
      io.stderr.write(typed !== undefined ? `--now "${typed}" is not a date: write it as year-month-day, with a 24-hour time if you need one, e.g. 2024-11-18 or 2024-11-18T09:00\n` : `${error.message}\n`);
      return 1;
    }
    io.stderr.write(`sendbot failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  } finally {
    ctx?.close();
  }
}
