// The chair's digest, through the real CLI (`sendbot digest`) and `/send digest`, on the demo plan
// after the scripted weeks plus a few more reports: one line per action under "updates received",
// change counted as of --now, no row repeated, none hidden behind "and 1 more", and an action
// assigned to a named person shown with that person.
import { beforeAll, describe, expect, it } from 'vitest';
import type { BoardDigest } from '../../src/domain/digest-model.js';
import { renderBlocks } from '../../src/render/block-kit.js';
import { digestToReply } from '../../src/render/digest-reply.js';
import { renderCards } from '../../src/render/adaptive-card.js';
import { sendbot } from '../helpers/cli.js';
import { ALEX, DEMO_SCRIPT, DIGEST_NOW, ELAINE, MORGAN, say, scriptedDemoDb } from '../helpers/digest-demo.js';
import { closeTestDb, testDbAt } from '../helpers/test-db.js';

let path: string;

beforeAll(async () => {
  path = await scriptedDemoDb([
    ...DEMO_SCRIPT,
    // A second and third report on ND-1.2 in the window, and ND-4.1 given to a named person.
    ['2024-11-26T10:00', MORGAN, '/send update ND-1.2 amber 65% comms plan signed off'],
    ['2024-11-26T15:00', MORGAN, '/send update ND-1.2 green 70% campaign launched'],
    ['2024-11-26T16:30', ALEX, '/send assign ND-4.1 jamie.example@example.org'],
  ]);
});

async function digest(...args: string[]): Promise<string> {
  const result = await sendbot(path, 'digest', '--board', 'SEND Partnership Board', ...args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

const section = (text: string, heading: string): string => {
  const start = text.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start);
  const end = rest.slice(heading.length).search(/\n\S/);
  return end === -1 ? rest : rest.slice(0, heading.length + end + 1);
};

describe('the chair’s digest', () => {
  it('lists the latest update per action under "updates received", saying how many there were', async () => {
    const text = await digest('--now', DIGEST_NOW);
    const nd = section(text, 'Updates received since 16 Oct 2024 (2 actions, 4 updates):');
    expect(nd.match(/ND-1\.2 ·/g)).toHaveLength(1);
    expect(nd).toContain('green 70% · 26 Nov 2024 15:00 by Morgan Demo: campaign launched (latest of 3 updates)');
    expect(nd).not.toContain('comms plan signed off');
    expect(nd).toContain('ND-3.1 ·');
    // The JSON export keeps every report.
    const json = JSON.parse(await digest('--now', DIGEST_NOW, '--format', 'json')) as BoardDigest;
    expect(json.plans[0]?.updates.map((u) => u.action.ref)).toEqual(['ND-1.2', 'ND-1.2', 'ND-3.1', 'ND-1.2']);
  });

  it('counts change since the last meeting, and missing updates, as of --now: later reports are not seen', async () => {
    const at = async (now: string) => (JSON.parse(await digest('--now', now, '--format', 'json')) as BoardDigest).totals;
    // 21 Nov 09:00: only ND-1.2 (amber, 20 Nov) and WD-2.1's request (18 Nov) had been reported since 16 Oct.
    expect(await at('2024-11-21T09:00')).toMatchObject({
      rag: { green: 0, amber: 1, red: 1, complete: 2, notStarted: 87, total: 91 },
      ragChange: { green: 0, amber: 1, red: 0, complete: 0, notStarted: -1, total: 0 },
      missingUpdates: 87,
    });
    // 27 Nov: ND-1.2 went green on 26 Nov; TR-4.2 amber and HCP-2.1 green had come in too.
    expect(await at(DIGEST_NOW)).toMatchObject({
      rag: { green: 2, amber: 1, red: 1, complete: 2, notStarted: 85, total: 91 },
      ragChange: { green: 2, amber: 1, red: 0, complete: 0, notStarted: -3, total: 0 },
      missingUpdates: 83,
    });
    // The same as /send digest in chat at that moment.
    const db = await testDbAt(path);
    try {
      const chat = await say(db, '2024-11-21T09:00', ELAINE, '/send digest SEND Partnership Board');
      const ragFields = chat.blocks.find((b) => b.type === 'fields' && b.fields.some((f) => f.label === 'Green'));
      expect(ragFields).toEqual({
        type: 'fields',
        fields: [
          { label: 'Green', value: '0' },
          { label: 'Amber', value: '1 (+1)' },
          { label: 'Red', value: '1' },
          { label: 'Complete', value: '2' },
          { label: 'Not started', value: '87 (\u22121)' },
        ],
      });
    } finally {
      await closeTestDb(db);
    }
  });

  it('does not repeat exceptions under overdue', async () => {
    const text = await digest('--now', DIGEST_NOW);
    const overdue = section(text, 'Overdue (4):');
    expect(overdue).toContain('TR-2.2 ·');
    expect(overdue).not.toContain('TR-4.2 ·');
    expect(overdue).toContain('Also overdue: TR-4.2, TR-4.3, TR-4.5 are under Exceptions above.');
    expect(section(text, 'Exceptions (3):')).toContain('TR-4.2 ·');
    expect(text.match(/TR-4\.3 ·/g)).toHaveLength(1);
  });

  it('never hides a single row behind "and 1 more"', async () => {
    const text = await digest('--now', DIGEST_NOW);
    expect(text).not.toMatch(/and 1 more/);
    // Six refs per owner, and a seventh shown rather than hidden; more than that is cut.
    expect(text).toContain('Lucy Placeford (NHS Hampshire & IOW Strategic Lead LDA): 7 (TR-6.2, TR-6.3, TR-6.4, TR-6.5, TR-6.6, TR-6.7, TR-6.8)');
    expect(text).toContain('Priya Testwell (SCC Head of Commissioning): 8 (TR-4.1, TR-4.3, TR-4.4, TR-4.5, TR-4.6, TR-5.1, and 2 more)');
    // A cap of 2 on three exceptions shows all three.
    const json = JSON.parse(await digest('--now', DIGEST_NOW, '--format', 'json')) as BoardDigest;
    const capped = digestToReply(json, { cap: 2 });
    const exceptions = capped.blocks.find((b) => b.type === 'actions' && b.heading === 'Exceptions (3)');
    expect(exceptions?.type === 'actions' && exceptions.items.map((i) => i.ref)).toEqual(['TR-4.2', 'TR-4.3', 'TR-4.5']);
    expect(capped.blocks.some((b) => b.type === 'text' && /^and 1 more/.test(b.text))).toBe(false);
  });

  it('shows an action assigned by name with that person, in text, Slack and Teams', async () => {
    const text = await digest('--now', DIGEST_NOW);
    expect(section(text, 'Missing updates (14), by owner:')).toContain('• Jamie Example: 1 (ND-4.1)');
    expect(text).toContain('42 working days overdue · Jamie Example · overdue by more than 20 working days');
    const json = JSON.parse(await digest('--now', DIGEST_NOW, '--format', 'json')) as BoardDigest;
    const reply = digestToReply(json);
    const slack = JSON.stringify(renderBlocks(reply));
    const teams = JSON.stringify(renderCards(reply));
    for (const rendered of [text, slack, teams]) {
      expect(rendered).toContain('Jamie Example');
      expect(rendered).not.toMatch(/Jamie Example \(nobody holds this role\)|nobody holds this role/);
    }
  });
});
