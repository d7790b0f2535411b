// Plan codes made from titles when a file gives none: an acronym the title gives, else initials
// without years and small words, and the words that say how each was made.
import { describe, expect, it } from 'vitest';
import { describePlanCode, planCodeFor } from '../../src/domain/plan-codes.js';

describe('planCodeFor', () => {
  it.each([
    ['Written Statement of Action (WSoA)', 'WSOA', 'from the acronym "WSoA" in its title'],
    ['Accelerated Progress Plan [APP] 2024-26', 'APP', 'from the acronym "APP" in its title'],
    ['SEND Improvement Plan 2023-24', 'SIP', 'from the initials of "SEND", "Improvement", "Plan"'],
    ['Healthy Child Programme Improvement Plan', 'HCP', 'from the initials of "Healthy", "Child", "Programme"'],
    ['Written Statement of Action', 'WSA', 'from the initials of "Written", "Statement", "Action"'],
    ['Local Area Inclusion Strategy 2025/26 (revised)', 'LAIS', 'from the initials of "Local", "Area", "Inclusion", "Strategy"'],
    ['Transitions Improvement Plan', 'TRA', 'from the first three letters of "Transitions"'],
    ['Équipe Santé', 'ES', 'from the initials of "Equipe", "Sante"'],
    ['2024/25', 'P', 'as "P": its title has no letters A–Z to make a code from'],
    // Only generic words: they are still letters to make a code from.
    ['Plan 2023-24', 'PLA', 'from the first three letters of "Plan"'],
    ['Improvement Plan', 'IP', 'from the initials of "Improvement", "Plan"'],
    ['The Plan', 'PLA', 'from the first three letters of "Plan"'],
  ])('%s → %s', (title, code, how) => {
    expect(planCodeFor(title)).toEqual({ code, how });
  });

  it('never takes a year or a bracketed word that is not an acronym', () => {
    for (const title of ['SEND Plan 2023-24', 'SEND Improvement Plan (draft) 2024', 'Inclusion Plan 25/26']) {
      expect(planCodeFor(title).code).toMatch(/^[A-Z]+$/);
    }
    expect(planCodeFor('SEND Improvement Plan (draft) 2024').code).toBe('SIP');
  });

  it('says how to set a code explicitly, never suggesting the code it already has', () => {
    const made = { plan: 'Written Statement of Action (WSoA)', ...planCodeFor('Written Statement of Action (WSoA)') };
    expect(describePlanCode(made)).toBe(
      'Plan "Written Statement of Action (WSoA)" has the code WSOA (refs WSOA-1.1, WSOA-1.2 …), made from the acronym "WSoA" in its title. ' +
        'To choose another, add "code: <your code>" to the plan in a YAML file, or in a table fill a "Plan Code" column (or give refs such as <your code>-1.1).',
    );
    expect(describePlanCode({ ...made, fileKind: 'yaml' })).toMatch(/To choose another, add "code: <your code>" to the plan in the YAML file\.$/);
    expect(describePlanCode({ ...made, fileKind: 'table' })).toMatch(/To choose another, fill a "Plan Code" column with your code \(or give refs such as <your code>-1\.1\)\.$/);
    for (const kind of [undefined, 'yaml', 'table'] as const) expect(describePlanCode({ ...made, fileKind: kind }).split('To choose another')[1]).not.toContain('WSOA');
  });
});
