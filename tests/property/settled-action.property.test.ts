// Property test: a table's actions skip zod when isSettledAction says zod would give them back
// unchanged. That must hold for any value: whenever isSettledAction is true, actionSchema accepts the
// value and returns an equal one; and the actions a real table produces are settled (or the fast path
// would never be taken).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionSchema, isSettledAction } from '../../src/importers/plan-document.js';
import { plainErrorMap } from '../../src/importers/plain-issues.js';
import { parseCsvRows } from '../../src/importers/read-csv.js';
import { readPlanTable } from '../../src/importers/read-plan-table.js';

const text = fc.oneof(fc.constantFrom('', ' ', 'Head of SEND', ' padded ', 'x\n', '\tTab', 'by Sept 24', 'amber'), fc.string({ maxLength: 12 }));
const number = fc.oneof(fc.integer({ min: -3, max: 5 }), fc.constantFrom(1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2, Infinity));
const value = fc.oneof(text, number, fc.array(text, { maxLength: 3 }), fc.constantFrom(null, undefined, true, new Date('2025-03-31')));
const action = fc.dictionary(fc.constantFrom('number', 'text', 'owner', 'with', 'due', 'status', 'source_line', 'extra'), value, { maxKeys: 7 });

describe('isSettledAction (property)', () => {
  it('is true only when actionSchema returns the value unchanged', () => {
    fc.assert(
      fc.property(action, (candidate) => {
        if (!isSettledAction(candidate)) return;
        const parsed = actionSchema.safeParse(candidate, { error: plainErrorMap });
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(candidate);
      }),
      { numRuns: 5000 },
    );
  });

  it('holds for the actions a plan table is read into', () => {
    const csv = [
      'Improvement Plan,Strategic Workstream Priority,Accountable Lead,With,Date of Completion,Key Actions,Ref,Status,Owner',
      'Neurodiversity,Needs-led system,Head of SEND,Parent Carer Forum; Head of Commissioning,Sept 24 – July 25,"• Roll out the tool\n• Evaluate it",,,',
      ',,,,by March 25,Publish the guide,ND-1.5,amber,Head of Inclusion',
      ',Transitions,Head of Adult Social Care,none,Summer term 2025,Map the pathway by Jan 25,,,',
    ].join('\n');
    const { document, problems } = readPlanTable(parseCsvRows(csv), { file: 'plan.csv' });
    expect(problems).toEqual([]);
    const actions = (document.plans ?? []).flatMap((p) => (p.workstreams ?? []).flatMap((w) => w.actions ?? []));
    expect(actions).toHaveLength(4);
    for (const a of actions) expect(isSettledAction(a)).toBe(true);
  });
});
