// A new council's first week, through the real CLI: counts read as English, help says what a command
// does once, assign reads cleanly, `digest` with one board needs no board name, and the digest
// explains figures in brackets only when it shows some. Another council's plan, not the demo.
import { describe, expect, it } from 'vitest';
import { sendbot } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';

const OFFICER = 'olu.officer@northshire.example';
const JO = 'jo.commissioner@northshire.example';
const PAT = 'pat.forum@northshire.example';

const PLAN = `
roles: [{ name: Head of Joint Commissioning }, { name: Parent Carer Forum Lead }, { name: Director of Children's Services }]
people:
  - { name: Olu Officer, email: ${OFFICER}, admin: true }
  - { name: Jo Commissioner, email: ${JO}, roles: [Head of Joint Commissioning] }
  - { name: Pat Forum, email: ${PAT}, roles: [Parent Carer Forum Lead] }
  - { name: Cal Chair, email: cal.chair@northshire.example, roles: [Director of Children's Services] }
boards:
  - name: Northshire SEND Board
    chair_role: Director of Children's Services
    meetings: [{ at: '2026-11-20T10:00' }, { at: '2027-01-15T10:00' }]
plans:
  - title: Written Statement of Action (WSoA)
    board: Northshire SEND Board
    workstreams:
      - title: Joint commissioning
        lead: Head of Joint Commissioning
        actions: [{ text: Agree a joint commissioning framework }, { text: Publish a sufficiency statement }]
      - title: Co-production
        lead: Head of Joint Commissioning
        with: [Parent Carer Forum Lead]
        actions: [{ text: Run termly listening events }, { text: Co-produce the local offer pages }]
`;

const PEOPLE = `name,email,role
Olu Officer,${OFFICER},
Jo Commissioner,${JO},Head of Joint Commissioning
Pat Forum,${PAT},Parent Carer Forum Lead
`;

async function northshire(): Promise<string> {
  const db = tempDbPath();
  const imported = await sendbot(db, '--now', '2026-11-02T09:00', 'import', writeTemp('northshire.yaml', PLAN));
  expect(imported.code, imported.stderr).toBe(0);
  return db;
}

const ask = (db: string, as: string, text: string, now = '2026-12-07T10:00') => sendbot(db, '--now', now, 'ask', '--as', as, text);

describe('a new council’s first week, through the CLI', () => {
  it('people import counts role handovers in English: 0 role handovers, 1 role handover', async () => {
    const db = await northshire();
    const same = await sendbot(db, '--now', '2026-11-03T09:00', 'people', 'import', writeTemp('people.csv', PEOPLE));
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain('0 role handovers.');
    // Jo's role moves to Olu: one handover.
    const moved = PEOPLE.replace(`Jo Commissioner,${JO},Head of Joint Commissioning`, `Jo Commissioner,${JO},`).replace(`Olu Officer,${OFFICER},`, `Olu Officer,${OFFICER},Head of Joint Commissioning`);
    const applied = await sendbot(db, '--now', '2026-11-04T09:00', 'people', 'import', writeTemp('people.csv', moved));
    expect(applied.stdout).toContain('1 role handover.');
    expect(`${same.stdout}${applied.stdout}`).not.toContain('(s)');
  });

  it('help <command> says what the command does once', async () => {
    const db = await northshire();
    const help = await ask(db, JO, 'help update');
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout.split('record progress on an action').length - 1).toBe(1);
    expect(help.stdout).not.toContain('/SEND UPDATE');
    expect(help.stdout).toContain('Usage: /send update <ref>');
  });

  it('assign reads cleanly: one pair of brackets for who had it before', async () => {
    const db = await northshire();
    const out = await ask(db, OFFICER, `assign WSOA-2.2 ${PAT}`);
    expect(out.stdout).toContain('WSOA-2.2 is now owned by Pat Forum, assigned by name (was Jo Commissioner, Head of Joint Commissioning).');
    const again = await ask(db, OFFICER, `assign WSOA-2.2 ${PAT}`);
    expect(again.stdout).toContain('WSOA-2.2 is already owned by Pat Forum, assigned by name; nothing changed.');
  });

  it('digest with no board named uses the only board, even for an admin who chairs none', async () => {
    const db = await northshire();
    const out = await ask(db, OFFICER, 'digest');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).not.toContain('Which board');
    expect(out.stdout).toContain('Northshire SEND Board: digest for the meeting on');
  });

  it('the digest explains figures in brackets only when it shows some', async () => {
    const db = await northshire();
    // Nothing reported since the previous meeting (20 Nov): no figures in brackets, so no note.
    const quiet = await ask(db, OFFICER, 'digest');
    expect(quiet.stdout).not.toMatch(/\([+\u2212]\d+\)/);
    expect(quiet.stdout).not.toContain('Figures in brackets');
    expect((await ask(db, JO, 'update WSOA-1.1 green 40% framework drafted', '2026-12-01T10:00')).stdout).toContain('Update recorded');
    const moved = await ask(db, OFFICER, 'digest');
    expect(moved.stdout).toMatch(/Green: 1 \(\+1\)/);
    expect(moved.stdout).toContain('Figures in brackets: change since the previous meeting.');
  });
});
