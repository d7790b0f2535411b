import { describe, expect, it } from 'vitest';
import { checkUpdateForm } from '../../../src/platforms/teams/update-form.js';
import type { UpdateFormSubmit } from '../../../src/render/adaptive-card.js';

const submit = (extra: Partial<UpdateFormSubmit>): UpdateFormSubmit => ({ kind: 'update_form', ref: 'ND-1.1', ...extra });

describe('checkUpdateForm', () => {
  it('turns a good submission into the typed command’s input and a readable raw text', () => {
    expect(checkUpdateForm(submit({ status: 'amber', percent: '60', note: 'Pilot extended' }))).toEqual({
      ok: true,
      input: { ref: 'ND-1.1', typedRef: 'ND-1.1', status: 'amber', percent: 60, note: 'Pilot extended' },
      rawText: '[card] update ND-1.1 amber 60% Pilot extended',
    });
    expect(checkUpdateForm(submit({ due: '2025-06-30', dueReason: 'trainer availability' }))).toMatchObject({
      ok: true,
      rawText: '[card] update ND-1.1 due:2025-06-30 (reason for the new date: trainer availability)',
    });
  });

  it('puts every problem under its own field', () => {
    const check = checkUpdateForm({ kind: 'update_form', ref: '', status: 'purple', percent: '150', evidenceUrl: 'ftp://x', due: 'soon' });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors).sort()).toEqual(['action', 'due', 'due_reason', 'evidence', 'percent', 'status']);
    expect(check.errors.percent).toBe("'150' is over 100: percent complete is a whole number from 0 to 100.");
  });

  it('refuses an NHS number in the note, and an empty submission', () => {
    const nhs = checkUpdateForm(submit({ note: 'child 943 476 5919 waiting' }));
    expect(nhs).toMatchObject({ ok: false, errors: { note: expect.stringContaining('NHS number') } });
    expect(checkUpdateForm(submit({}))).toMatchObject({ ok: false, errors: { form: expect.stringContaining('No change') } });
    expect(checkUpdateForm(submit({ percent: '12.5' }))).toMatchObject({ ok: false, errors: { percent: expect.any(String) } });
  });
});
