// Composition root: `npm start`. Reads config, opens the database (migrations run on open), and starts
// whichever platforms are configured. With no Slack or Teams credentials it runs local mode: the demo
// plan on an empty database and a terminal chat.
import { parseArgs } from 'node:util';
import { type Clock, fixedClock, systemClock } from './clock.js';
import { type Config, ConfigError, isLocalMode, loadConfig } from './config.js';
import { runConsoleChat } from './platforms/console/console-chat.js';
import { closeDatabase, type Db, openDatabase } from './store/database.js';
import { loadDemoIfEmpty } from './store/demo-data.js';
import { findPersonByEmail, listAdmins, listPeople } from './store/people-repository.js';

interface StartOptions {
  as?: string;
  now?: string;
  db?: string;
}

function readOptions(argv: string[]): StartOptions {
  const { values } = parseArgs({
    args: argv,
    options: { as: { type: 'string' }, now: { type: 'string' }, db: { type: 'string' } },
    strict: true,
  });
  return values;
}

async function runLocalMode(db: Db, clock: Clock, config: Config, options: StartOptions): Promise<number> {
  if (config.demoData === 'auto' && (await loadDemoIfEmpty(db, clock.now()))) {
    process.stderr.write('Loaded the demo plan (Southampton 2024, with fictional people and a sample meeting calendar).\n');
  }
  const caller = options.as ? findPersonByEmail(db, options.as) : (listAdmins(db)[0] ?? listPeople(db)[0]);
  if (!caller) {
    process.stderr.write(
      options.as
        ? `Nobody with email ${options.as} is registered. Try one of: ${listPeople(db).slice(0, 5).map((p) => p.email).join(', ')}\n`
        : 'No people are registered yet: import a plan or people first (npx sendbot import <file>).\n',
    );
    return 1;
  }
  await runConsoleChat({ db, clock, caller, input: process.stdin, output: process.stdout });
  return 0;
}

async function main(): Promise<number> {
  let options: StartOptions;
  let config: Config;
  try {
    options = readOptions(process.argv.slice(2));
    config = loadConfig(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
    return 1;
  }
  const clock = options.now ? fixedClock(options.now) : systemClock;
  const db = openDatabase(options.db ?? config.databasePath);
  try {
    if (isLocalMode(config)) return await runLocalMode(db, clock, config, options);
    process.stderr.write('Slack and Teams modes are not wired up yet.\n');
    return 1;
  } finally {
    closeDatabase(db);
  }
}

process.exitCode = await main();
