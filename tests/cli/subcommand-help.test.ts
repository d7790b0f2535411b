// Every subcommand's --help lists the global --db and --now options, which work after any command.
import { describe, expect, it } from 'vitest';
import { sendbot } from '../helpers/cli.js';
import { tempDbPath } from '../helpers/temp.js';

describe('sendbot <command> --help', () => {
  it.each(['import', 'digest', 'people add', 'boards import'])('%s --help lists --db and --now under Global Options', async (command) => {
    const result = await sendbot(tempDbPath(), ...command.split(' '), '--help');
    expect(result.code).toBe(0);
    const global = result.stdout.slice(result.stdout.indexOf('Global Options:'));
    expect(result.stdout).toContain('Global Options:');
    expect(global).toMatch(/--db <path>\s+SQLite database file/);
    expect(global).toMatch(/--now <iso>\s+pretend it is this date-time/);
  });
});
