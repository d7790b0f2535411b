// `npm run screenshot`: docs/dashboard.png, the README's picture of the board dashboard.
//
// Everything is the real thing: the demo plan is imported with the CLI into a fresh database, a few
// weeks of updates are typed as real people with `sendbot ask` at fixed times, then the app starts
// in local mode with `--now 2024-11-27T09:00` (the chair's digest day before the 4 December board),
// the chair asks `/send dashboard` in its chat, and Debian's Chromium opens the link it prints.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'docs', 'dashboard.png');
const NOW = '2024-11-27T09:00';
const CHAIR = 'elaine.demoster@example.org';
const MORGAN = 'morgan.demo@example.org';
const ALEX = 'alex.sample@example.org';
const PRIYA = 'priya.testwell@example.org';
const ZARA = 'zara.sampleford@example.org';

/** [London time, who, what they typed]: the same weeks the digest tests play. */
const SCRIPT = [
  ['2024-10-01T10:00', MORGAN, '/send update WD-2.1 due:"31 March 25" funding for the second cohort is late'],
  ['2024-10-02T10:00', ALEX, '/send approve WD-2.1'],
  ['2024-10-10T10:00', MORGAN, '/send update ND-3.1 red 10% recruitment to the panel has stalled'],
  ['2024-11-18T10:00', MORGAN, '/send update WD-2.1 due:"30 June 25" trainer availability'],
  ['2024-11-19T10:00', CHAIR, '/send approve WD-2.1'],
  ['2024-11-20T10:00', MORGAN, '/send update ND-1.2 amber 60% NDPT pilot extended; roll-out from Jan'],
  ['2024-11-21T11:30', MORGAN, '/send update ND-3.1 red 15% still no panel chair & no start date'],
  ['2024-11-22T09:15', PRIYA, '/send update TR-4.2 amber evaluation report drafted, sign-off in December'],
  ['2024-11-25T14:00', MORGAN, '/send update QA-3.1 due:"30 June 25" waiting for the new QA lead to start'],
  ['2024-11-26T16:00', ZARA, '/send update HCP-2.1 green 25% health visiting recruitment on track'],
];

const dir = mkdtempSync(join(tmpdir(), 'sendbot-screenshot-'));
const db = join(dir, 'sendbot.db');
const env = { PATH: process.env.PATH ?? '', DATABASE_PATH: db, PORT: '0', DEMO_DATA: 'never' };

function cli(...args) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--db', db, ...args], { cwd: root, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sendbot ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

cli('--now', '2024-09-02T09:00', 'import', 'db/seeds/southampton-2024.yaml');
for (const [at, who, typed] of SCRIPT) {
  const reply = cli('--now', at, 'ask', '--as', who, typed);
  process.stdout.write(`${at} ${who}: ${reply.split('\n')[0]}\n`);
}

const app = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--db', db, '--now', NOW, '--as', CHAIR], { cwd: root, env, stdio: ['pipe', 'pipe', 'inherit'] });
let chat = '';
app.stdout.on('data', (chunk) => (chat += chunk.toString()));
const exited = new Promise((done) => app.once('exit', done));
app.stdin.write('/send dashboard\n');
const link = await new Promise((done, fail) => {
  const started = Date.now();
  const timer = setInterval(() => {
    const found = /Open the dashboard: (\S+)/.exec(chat);
    if (found) {
      clearInterval(timer);
      done(found[1]);
    } else if (Date.now() - started > 60_000) {
      clearInterval(timer);
      fail(new Error(`no dashboard link in the chat after 60 s:\n${chat}`));
    }
  }, 100);
});
process.stdout.write(`chair's link: ${link}\n`);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const response = await page.goto(link);
  if (response?.status() !== 200) throw new Error(`the dashboard answered ${response?.status()}`);
  // The part a chair looks at first: the figures, RAG by plan and the KPI charts.
  const bottom = await page.locator('#kpis').evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
  await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom + 16) } });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await browser.close();
  app.stdin.end();
  await exited;
  rmSync(dir, { recursive: true, force: true });
}
