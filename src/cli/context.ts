import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { type Clock, fixedClock, systemClock } from '../clock.js';
import type { Db } from '../store/database.js';

/** A command module's entry point: adds its commands (and their options and help) to the program. */
export type CommandRegistrar = (program: Command, context: () => CliContext) => void;

/** What every CLI command gets: output streams, the environment, and lazily the database and clock. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/**
 * How the CLI opens and closes its database: the store's openDatabase, openDryRunDatabase and
 * closeDatabase, passed in so that this module (and `sendbot --help`) does not load SQLite and drizzle.
 */
export interface DatabaseLifecycle {
  open(path: string): Promise<Db>;
  /** For `--dry-run`: an in-memory copy of the database, so that nothing is created or written. */
  openCopy(path: string): Promise<Db>;
  close(db: Db): Promise<void>;
}

export interface GlobalOptions {
  db?: string;
  now?: string;
}

export class CliContext {
  private opened?: Promise<Db>;
  private dryRun = false;

  constructor(
    readonly io: CliIo,
    private readonly globals: GlobalOptions,
    private readonly database_: DatabaseLifecycle,
  ) {}

  /**
   * From now on `db` is an in-memory copy of the database (see openDryRunDatabase): a dry run then
   * creates, migrates and writes nothing, even by mistake. Call before the first use of `db`.
   */
  useDryRunDatabase(): void {
    if (this.opened !== undefined) throw new Error('useDryRunDatabase() must be called before the database is opened');
    this.dryRun = true;
  }

  /** The database: --db (a file or a postgres:// URL), else DATABASE_URL, else DATABASE_PATH. */
  get databasePath(): string {
    return this.globals.db ?? nonEmpty(this.io.env.DATABASE_URL) ?? nonEmpty(this.io.env.DATABASE_PATH) ?? 'data/sendbot.db';
  }

  /** Whether the database is PostgreSQL (some commands, such as backup, are SQLite's own). */
  get onPostgres(): boolean {
    return /^postgres(ql)?:\/\//i.test(this.databasePath.trim());
  }

  /** The database, opened on first use; migrations are applied on every open. */
  database(): Promise<Db> {
    if (this.opened === undefined) {
      const isNew = !this.dryRun && this.isNewFile();
      this.opened = this.dryRun ? this.database_.openCopy(this.databasePath) : this.database_.open(this.databasePath);
      if (isNew) {
        void this.opened.then(
          () => this.error(`No database at ${this.databasePath} yet: created a new, empty one. (Another database: --db <file or postgres:// address>, or DATABASE_URL / DATABASE_PATH.)`),
          () => undefined,
        );
      }
    }
    return this.opened;
  }

  /**
   * True when this command is about to create a new SQLite file; database() then says so on stderr:
   * an operator whose shell lacks DATABASE_URL would otherwise read "0 actions" from a stray empty
   * file, or import a plan into it, without a hint that it is not the service's database.
   */
  private isNewFile(): boolean {
    const path = this.databasePath;
    return !this.onPostgres && path !== ':memory:' && !existsSync(path);
  }

  get clock(): Clock {
    return this.globals.now ? fixedClock(this.globals.now) : systemClock;
  }

  print(text = ''): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  error(text: string): void {
    this.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    // An open that failed has nothing to close (its error was reported where it was awaited).
    const db = await opened?.catch(() => undefined);
    if (db) await this.database_.close(db);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A mistake the user can fix: printed without a stack trace, exit code 1. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
