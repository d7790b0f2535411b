// Every `sendbot` command, as a light table. runCli (program.ts) imports only the module of the
// command being run, so each command loads just what it uses, and `sendbot --help` loads none:
// botbuilder, Bolt, exceljs and date-holidays alone take over a second to load.
//
// Adding a command: write its module with an exported register function (commander definitions;
// keep imports a command's other subcommands don't need out of the top level, or behind a dynamic
// import()), then add a row here. `term` and `summary` are what `sendbot --help` lists without
// loading the module; tests/cli/command-table.test.ts checks them against the module's own.
import type { CommandRegistrar } from './context.js';

export interface CliCommandEntry {
  /** The word that selects the command (`sendbot <name> …`). */
  name: string;
  /** The command as `sendbot --help` lists it, e.g. `import [options] <file>`. */
  term: string;
  summary: string;
  /** Loads the command's module; its register function may add other commands too (people adds role). */
  load: () => Promise<CommandRegistrar>;
}

export const CLI_COMMANDS: readonly CliCommandEntry[] = [
  {
    name: 'import',
    term: 'import [options] <file>',
    summary: 'import an improvement plan from YAML, CSV or an XLSX workbook (plan, KPI, people, boards and settings sheets); re-importing updates in place',
    load: async () => (await import('./import-command.js')).registerImportCommand,
  },
  {
    name: 'actions',
    term: 'actions [options]',
    summary: 'list actions with owner, dates, status and last update',
    load: async () => (await import('./actions-command.js')).registerActionsCommand,
  },
  {
    name: 'people',
    term: 'people [options]',
    summary: 'list people and the roles they hold',
    load: async () => (await import('./people-command.js')).registerPeopleCommands,
  },
  {
    name: 'role',
    term: 'role',
    summary: 'manage roles',
    load: async () => (await import('./people-command.js')).registerPeopleCommands,
  },
  {
    name: 'boards',
    term: 'boards [options]',
    summary: 'list boards with their chairs, channels and next meetings',
    load: async () => (await import('./boards-command.js')).registerBoardsCommands,
  },
  {
    name: 'backup',
    term: 'backup [options] <path>',
    summary: 'copy the database to a file while the bot keeps running (SQLite online backup)',
    load: async () => (await import('./backup-command.js')).registerBackupCommand,
  },
  {
    name: 'migrate-to-postgres',
    term: 'migrate-to-postgres [options]',
    summary: 'copy the SQLite database (--db) into an empty PostgreSQL database (--to or DATABASE_URL), every row with its id, and verify the copy',
    load: async () => (await import('./migrate-to-postgres-command.js')).registerMigrateToPostgresCommand,
  },
  {
    name: 'ask',
    term: 'ask [options] <text...>',
    summary: 'run one /send command as a person and print the reply',
    load: async () => (await import('./ask-command.js')).registerAskCommand,
  },
  {
    name: 'digest',
    term: 'digest [options]',
    summary: "print the chair's pre-board digest for a board's next meeting (or --weekly)",
    load: async () => (await import('./digest-command.js')).registerDigestCommand,
  },
  {
    name: 'export',
    term: 'export [options]',
    summary: 'write actions, the update trail, date changes and KPIs to an XLSX workbook or a folder of CSV files',
    load: async () => (await import('./export-command.js')).registerExportCommand,
  },
  {
    name: 'tick',
    term: 'tick [options]',
    summary: 'run one scheduler tick: enqueue what is due, then deliver it to the console',
    load: async () => (await import('../jobs/jobs-cli.js')).registerTickCommand,
  },
  {
    name: 'outbox',
    term: 'outbox [options]',
    summary: 'list outbox rows: what was sent, what waits, what failed',
    load: async () => (await import('../jobs/jobs-cli.js')).registerOutboxCommand,
  },
];
