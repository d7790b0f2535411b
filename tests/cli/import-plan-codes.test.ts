// The import report says how each plan code it made was made, and how to set one; a code the file
// gives, or one kept from the plan already stored, needs no such line.
import { describe, expect, it } from 'vitest';
import { sendbot, sendbotJson } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';

const PLAN = `
roles: [{ name: Head of Inclusion }]
plans:
  - title: Written Statement of Action (WSoA)
    workstreams: [{ title: Timeliness, lead: Head of Inclusion, actions: [{ text: Recruit educational psychologists }] }]
  - title: SEND Improvement Plan 2023-24
    workstreams: [{ title: Health, lead: Head of Inclusion, actions: [{ text: Agree a health advice standard }] }]
  - title: Plan 2023-24
    workstreams: [{ title: Places, lead: Head of Inclusion, actions: [{ text: Count specialist places }] }]
  - code: QA
    title: Quality Assurance
    workstreams: [{ title: Audits, lead: Head of Inclusion, actions: [{ text: Audit plans }] }]
`;

describe('sendbot import: plan codes made from titles', () => {
  it('reports each made code and how to set one, and refs use it', async () => {
    const db = tempDbPath();
    const file = writeTemp('plan.yaml', PLAN);
    const first = await sendbot(db, 'import', file, '--dry-run');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Plan "Written Statement of Action (WSoA)" has the code WSOA (refs WSOA-1.1, WSOA-1.2 …), made from the acronym "WSoA" in its title.');
    expect(first.stdout).toContain('Plan "SEND Improvement Plan 2023-24" has the code SIP');
    // A title of generic words still has letters: a code from them, and a true account of how.
    expect(first.stdout).toContain('Plan "Plan 2023-24" has the code PLA (refs PLA-1.1, PLA-1.2 …), made from the first three letters of "Plan".');
    expect(first.stdout).not.toContain('no letters A–Z');
    // How to set a code names the field, never the code the plan already has.
    // A YAML file: the hint names YAML's field only.
    expect(first.stdout).toContain('To choose another, add "code: <your code>" to the plan');
    expect(first.stdout).not.toContain('Plan Code" column');
    expect(first.stdout).not.toMatch(/code: (WSOA|SIP|PLA)\b/);
    expect(first.stdout).not.toContain('Plan "Quality Assurance" has the code');

    const rows = await sendbotJson<{ ref: string }[]>(db, 'import', file);
    expect(rows.map((r) => r.ref)).toEqual(['WSOA-1.1', 'SIP-1.1', 'PLA-1.1', 'QA-1.1']);
    // Imported again, the codes are the stored plans' own: nothing was made, so nothing to explain.
    const again = await sendbot(db, 'import', file);
    expect(again.stdout).not.toContain('has the code');
  });
});
