// Re-importing a plan never undoes a handover or an assignment made since the last import; a file
// that was edited to change an owner is applied, and says so (also in --dry-run). Driven through the
// real CLI against a real SQLite file: `import`, `people import`, `role assign`, and `ask` for the
// chat commands `/send handover` and `/send assign`.
import { describe, expect, it } from 'vitest';
import { sendbot, sendbotJson } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { closeTestDb, rows, sql, testDbAt } from '../helpers/test-db.js';

interface JsonAction {
  ref: string;
  owner: string | null;
  with: string[];
  change: string;
  owner_change: { from: string; to: string } | null;
}

const PLAN = `
partnership:
  name: Testshire SEND Partnership
people:
  - { name: Ada Admin, email: ada@example.org, roles: [Programme Officer], admin: true }
  - { name: Sam Send, email: sam@example.org, roles: [Head of SEND] }
  - { name: Riley New, email: riley@example.org }
  - { name: Jamie Lee, email: jamie@example.org }
  - { name: Cass Comms, email: cass@example.org, roles: [Head of Commissioning] }
boards:
  - name: SEND Partnership Board
plans:
  - code: ND
    title: Neurodiversity Improvement Plan
    board: SEND Partnership Board
    workstreams:
      - title: Needs-led system
        lead: Head of SEND
        due: March 2025
        actions:
          - text: Roll out the profiling tool
          - text: Evaluate the pilot
          - text: Publish the guide
            owner: Head of Commissioning
`;

async function holders(db: string, role: string): Promise<{ email: string; ended: boolean }[]> {
  const conn = await testDbAt(db);
  const found = await rows(conn, sql`select p.email, ra.ended_at is not null as ended from role_assignments ra join people p on p.id = ra.person_id
       join roles r on r.id = ra.role_id where r.name = ${role} order by ra.id`) as { email: string; ended: number }[];
  await closeTestDb(conn);
  return found.map((r) => ({ email: r.email, ended: r.ended === 1 }));
}

async function current(db: string, role: string): Promise<string[]> {
  return (await holders(db, role))
    .filter((h) => !h.ended)
    .map((h) => h.email);
}

async function who(db: string, ref: string): Promise<string> {
  const r = await sendbot(db, '--now', '2024-11-18T10:00', 'ask', '--as', 'ada@example.org', `who ${ref}`);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('re-importing a plan keeps handovers and assignments made since', () => {
  it('an unchanged file does not undo `role assign`, `/send handover` or `/send assign`', async () => {
    const db = tempDbPath();
    const file = writeTemp('plan.yaml', PLAN);
    expect((await sendbot(db, '--now', '2024-11-01T09:00', 'import', file)).code).toBe(0);

    // Hand Head of SEND to Riley from the CLI, Head of Commissioning to Jamie in chat, and make Jamie
    // accountable for ND-1.2 in chat.
    expect((await sendbot(db, '--now', '2024-11-02T09:00', 'role', 'assign', 'Head of SEND', 'riley@example.org')).code).toBe(0);
    const handover = await sendbot(db, '--now', '2024-11-02T10:00', 'ask', '--as', 'ada@example.org', 'handover Head of Commissioning to jamie@example.org confirm');
    expect(handover.stdout).toContain('Head of Commissioning handed from Cass Comms to Jamie Lee');
    const assign = await sendbot(db, '--now', '2024-11-02T11:00', 'ask', '--as', 'ada@example.org', 'assign ND-1.2 jamie@example.org');
    expect(assign.stdout).toContain('ND-1.2 is now owned by');

    const report = await sendbot(db, '--now', '2024-11-03T09:00', 'import', file);
    expect(report.code, report.stderr).toBe(0);
    expect(await current(db, 'Head of SEND')).toEqual(['riley@example.org']);
    expect(await current(db, 'Head of Commissioning')).toEqual(['jamie@example.org']);
    expect(await who(db, 'ND-1.2')).toContain('Jamie Lee');
    // The report says the file is out of date rather than silently differing.
    expect(report.stdout).toContain('Head of SEND: kept Riley New, who took it over since the last import; the file still names Sam Send');
    expect(report.stdout).toContain('ND-1.2: kept Jamie Lee <jamie@example.org>, assigned since the last import; the file still gives Head of SEND');
    expect(report.stdout).toMatch(/Actions: 0 new, 0 updated, 3 unchanged/);

    // JSON: the owner now, and no change.
    const rows = await sendbotJson<JsonAction[]>(db, '--now', '2024-11-03T09:00', 'import', file);
    expect(rows.map((r) => [r.ref, r.owner, r.owner_change])).toEqual([
      ['ND-1.1', 'Head of SEND', null],
      ['ND-1.2', 'Jamie Lee <jamie@example.org>', null],
      ['ND-1.3', 'Head of Commissioning', null],
    ]);
    expect(await holders(db, 'Head of SEND')).toEqual([
      { email: 'sam@example.org', ended: true },
      { email: 'riley@example.org', ended: false },
    ]);
  });

  it('an unchanged people.csv does not undo a handover; an edited one does, and says who from and to', async () => {
    const db = tempDbPath();
    await sendbot(db, 'import', writeTemp('plan.yaml', PLAN));
    const people = 'name,email,role\nSam Send,sam@example.org,Head of SEND\nRiley New,riley@example.org,\n';
    const csv = writeTemp('people.csv', people);
    expect((await sendbot(db, 'people', 'import', csv)).code).toBe(0);
    await sendbot(db, '--now', '2024-11-02T09:00', 'role', 'assign', 'Head of SEND', 'riley@example.org');

    const same = await sendbot(db, '--now', '2024-11-03T09:00', 'people', 'import', csv);
    expect(same.code, same.stderr).toBe(0);
    expect(await current(db, 'Head of SEND')).toEqual(['riley@example.org']);
    expect(same.stdout).toContain('Head of SEND: kept Riley New, who took it over since the last import; the file still names Sam Send');

    const edited = writeTemp('people.csv', 'name,email,role\nSam Send,sam@example.org,\nJamie Lee,jamie@example.org,Head of SEND\n');
    const dry = await sendbot(db, '--now', '2024-11-04T09:00', 'people', 'import', edited, '--dry-run');
    expect(dry.stdout).toContain('Dry run');
    expect(dry.stdout).toContain('Head of SEND: Riley New → Jamie Lee (the file changed who holds it)');
    expect(await current(db, 'Head of SEND')).toEqual(['riley@example.org']);

    const applied = await sendbot(db, '--now', '2024-11-04T09:00', 'people', 'import', edited);
    expect(applied.stdout).toContain('Head of SEND: Riley New → Jamie Lee (the file changed who holds it)');
    expect(await current(db, 'Head of SEND')).toEqual(['jamie@example.org']);
  });

  it('a file edited to change a holder, a lead or an owner is applied and reported, in --dry-run too', async () => {
    const db = tempDbPath();
    await sendbot(db, '--now', '2024-11-01T09:00', 'import', writeTemp('plan.yaml', PLAN));
    await sendbot(db, '--now', '2024-11-02T11:00', 'ask', '--as', 'ada@example.org', 'assign ND-1.3 jamie@example.org');

    // Head of SEND moves from Sam to Riley; ND-1.2 gets an owner of its own; ND-1.3 loses its own.
    const edited = PLAN.replace('{ name: Sam Send, email: sam@example.org, roles: [Head of SEND] }', '{ name: Sam Send, email: sam@example.org }')
      .replace('{ name: Riley New, email: riley@example.org }', '{ name: Riley New, email: riley@example.org, roles: [Head of SEND] }')
      .replace('          - text: Publish the guide\n            owner: Head of Commissioning\n', '          - text: Publish the guide\n')
      .replace('          - text: Evaluate the pilot\n', '          - text: Evaluate the pilot\n            owner: Head of Commissioning\n');
    expect(edited).not.toBe(PLAN);
    const file = writeTemp('plan.yaml', edited);

    const dry = await sendbot(db, '--now', '2024-11-05T09:00', 'import', file, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Owners (would change):');
    expect(dry.stdout).toContain('Head of SEND: Sam Send → Riley New (the file changed who holds it)');
    expect(dry.stdout).toContain("ND-1.2: Head of SEND → Head of Commissioning (the file changed the action's owner)");
    // ND-1.3 was assigned to Jamie in chat and the file then changed its owner too: a conflict, in
    // which sendbot's owner stays and the report names who assigned it and when.
    expect(dry.stdout).toContain('Conflicts: 1 field changed both in the file and in sendbot');
    expect(dry.stdout).toMatch(/ND-1\.3 owner: sendbot has Jamie Lee <jamie@example\.org> \(assigned the action by Ada [^)]*on 2024-11-02\); the file says Head of SEND\. Kept sendbot's/);
    expect(await current(db, 'Head of SEND')).toEqual(['sam@example.org']);
    expect(await who(db, 'ND-1.3')).toContain('Jamie Lee');

    const rows = await sendbotJson<JsonAction[]>(db, '--now', '2024-11-05T09:00', 'import', file);
    expect(rows.map((r) => [r.ref, r.owner, r.owner_change])).toEqual([
      ['ND-1.1', 'Head of SEND', null],
      ['ND-1.2', 'Head of Commissioning', { from: 'Head of SEND', to: 'Head of Commissioning' }],
      ['ND-1.3', 'Jamie Lee <jamie@example.org>', null],
    ]);
    expect(await who(db, 'ND-1.3')).toContain('Jamie Lee');
    expect(await current(db, 'Head of SEND')).toEqual(['riley@example.org']);
    expect(await who(db, 'ND-1.2')).toContain('Head of Commissioning');

    // Importing the edited file again changes nothing more: the conflict was reported once, and the
    // file being out of date is a note, not a change.
    const again = await sendbot(db, '--now', '2024-11-06T09:00', 'import', file);
    expect(again.stdout).not.toContain('Conflicts');
    expect(again.stdout).toContain('ND-1.3: kept Jamie Lee <jamie@example.org>, assigned since the last import; the file still gives Head of SEND');
    expect(again.stdout).toMatch(/Actions: 0 new, 0 updated, 3 unchanged/);
  });

  it('--prefer-file takes the file’s owner where both changed it, and says whose assignment it replaced', async () => {
    const db = tempDbPath();
    await sendbot(db, '--now', '2024-11-01T09:00', 'import', writeTemp('plan.yaml', PLAN));
    await sendbot(db, '--now', '2024-11-02T11:00', 'ask', '--as', 'ada@example.org', 'assign ND-1.3 jamie@example.org');
    const edited = writeTemp('plan.yaml', PLAN.replace('          - text: Publish the guide\n            owner: Head of Commissioning\n', '          - text: Publish the guide\n'));
    const r = await sendbot(db, '--now', '2024-11-05T09:00', 'import', edited, '--prefer-file');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ND-1\.3 owner: sendbot has Jamie Lee <jamie@example\.org> \(assigned the action by Ada[^)]*\); the file says Head of SEND\. Took the file's/);
    expect(await who(db, 'ND-1.3')).toContain('Head of SEND');
    expect(await who(db, 'ND-1.3')).not.toContain('Jamie Lee');
  });

  it('a workstream lead changed in the file moves the actions that follow it, and is reported', async () => {
    const db = tempDbPath();
    await sendbot(db, 'import', writeTemp('plan.yaml', PLAN));
    const edited = PLAN.replace('        lead: Head of SEND\n', '        lead: Head of Commissioning\n');
    const result = await sendbot(db, 'import', writeTemp('plan.yaml', edited));
    expect(result.stdout).toContain(
      'Workstream ND-1 "Needs-led system": accountable lead Head of SEND → Head of Commissioning (the file changed it; its actions without an owner of their own move with it)',
    );
    const rows = await sendbotJson<JsonAction[]>(db, 'import', writeTemp('plan.yaml', edited));
    expect(rows.map((r) => r.owner)).toEqual(['Head of Commissioning', 'Head of Commissioning', 'Head of Commissioning']);
  });

  it('--json keeps standard output to the JSON and puts owner notes on standard error', async () => {
    const db = tempDbPath();
    const file = writeTemp('plan.yaml', PLAN);
    await sendbot(db, 'import', file);
    await sendbot(db, 'role', 'assign', 'Head of SEND', 'riley@example.org');
    const r = await sendbot(db, 'import', file, '--json');
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toContain('Owner: Head of SEND: kept Riley New');
  });
});
