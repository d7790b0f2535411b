// The CLI's light command table (src/cli/all-commands.ts): what `sendbot --help` lists without
// loading any command must match each command's own definition, and a command loads only its module.
import { execFileSync } from 'node:child_process';
import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { CLI_COMMANDS } from '../../src/cli/all-commands.js';
import { packageRoot } from '../../src/paths.js';
import { sendbot } from '../helpers/cli.js';
import { tempDbPath } from '../helpers/temp.js';

describe('the CLI command table', () => {
  it("lists each command as the command's own module defines it", async () => {
    const help = new Help();
    for (const entry of CLI_COMMANDS) {
      const program = new Command('sendbot');
      (await entry.load())(program, () => {
        throw new Error('registering a command must not open the database');
      });
      const command = program.commands.find((c) => c.name() === entry.name);
      expect(command, entry.name).toBeDefined();
      if (!command) continue;
      expect(help.subcommandTerm(command), entry.name).toBe(entry.term);
      expect(command.description(), entry.name).toBe(entry.summary);
    }
  });

  it('names every command of every module, so none is reachable only by loading another', async () => {
    const names = new Set<string>();
    for (const entry of CLI_COMMANDS) {
      const program = new Command('sendbot');
      (await entry.load())(program, () => {
        throw new Error('not opened');
      });
      for (const c of program.commands) names.add(c.name());
    }
    expect([...names].sort()).toEqual(CLI_COMMANDS.map((c) => c.name).sort());
  });

  it('sendbot --help lists every command with its arguments and summary', async () => {
    const result = await sendbot(tempDbPath(), '--help');
    expect(result.code).toBe(0);
    const flat = result.stdout.replace(/\s+/g, ' ');
    for (const entry of CLI_COMMANDS) expect(flat).toContain(`${entry.term} ${entry.summary}`);
    expect(flat).toContain('--db <path>');
    expect(flat).toContain('help [command]');
  });

  it('finds the command after the global options, and through help <command>', async () => {
    const db = tempDbPath();
    const people = await sendbot(db, '--now', '2024-11-18T10:00', 'people', '--json');
    expect(people.code).toBe(0);
    expect(JSON.parse(people.stdout)).toEqual([]);
    const roleHelp = await sendbot(db, 'help', 'role');
    expect(roleHelp.code).toBe(0);
    expect(roleHelp.stdout).toContain('assign [options] <role> <email>');
  });

  it('explains an unknown command, suggesting the nearest one', async () => {
    const result = await sendbot(tempDbPath(), 'peple');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown command 'peple'");
    expect(result.stderr).toContain('Did you mean people?');
  });

  it('loads no chat platform, spreadsheet or database package for --help, and only SQLite for people', () => {
    // CommonJS packages imported from ESM land in require.cache: a fresh process shows what ran.
    const script = `
      import { createRequire } from 'node:module';
      import { runCli } from './src/cli/program.ts';
      const quiet = { write: () => true };
      await runCli(process.argv.slice(1), { stdout: quiet, stderr: quiet, env: {} });
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      const packages = ['better-sqlite3', 'exceljs', 'botbuilder', '@slack/bolt', '@slack/web-api', 'date-holidays', 'ical.js', 'pino', 'yaml'];
      console.log(JSON.stringify(packages.filter((p) => loaded.some((f) => f.includes('/node_modules/' + p + '/')))));
    `;
    const run = (...args: string[]) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, '--', ...args], { cwd: packageRoot(), encoding: 'utf8' }).trim(),
      ) as string[];
    expect(run('--help')).toEqual([]);
    expect(run('--db', tempDbPath(), 'people')).toEqual(['better-sqlite3']);
  });
});
