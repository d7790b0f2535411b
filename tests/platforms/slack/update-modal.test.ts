// The update modal's server-side checks: each problem lands on its own block, and a good submission
// becomes the same UpdateInput the typed command builds.
import { describe, expect, it } from 'vitest';
import { checkUpdateModal, describeSubmission, readModalMetadata, withPreselected } from '../../../src/platforms/slack/update-modal.js';
import { UPDATE_MODAL_BLOCKS as B } from '../../../src/render/block-kit.js';
import { demoPlanDb } from '../../helpers/demo-plan-db.js';
import { closeTestDb } from '../../helpers/test-db.js';

const errorsOf = (values: Parameters<typeof checkUpdateModal>[0]) => {
  const check = checkUpdateModal(values);
  return check.ok ? {} : check.errors;
};

describe('checkUpdateModal', () => {
  it('accepts a full update and describes it for the record', () => {
    const check = checkUpdateModal({ ref: 'ND-1.1', status: 'amber', percent: '60', note: ' Pilot extended ', evidenceUrl: 'https://sharepoint.example.org/doc' });
    expect(check).toEqual({
      ok: true,
      input: { ref: 'ND-1.1', status: 'amber', percent: 60, note: 'Pilot extended', evidenceUrl: 'https://sharepoint.example.org/doc' },
      rawText: '[modal] update ND-1.1 amber 60% evidence:https://sharepoint.example.org/doc Pilot extended',
    });
  });

  it.each([
    ['150', 'whole number from 0 to 100'],
    ['-1', 'whole number from 0 to 100'],
    ['12.5', 'whole number from 0 to 100'],
    ['lots', 'whole number from 0 to 100'],
  ])('puts percent %s on the percent block', (percent, message) => {
    expect(errorsOf({ ref: 'ND-1.1', percent })).toEqual({ [B.percent]: expect.stringContaining(message) });
  });

  it('refuses evidence that is not a web link', () => {
    expect(errorsOf({ ref: 'ND-1.1', evidenceUrl: 'ftp://files.example.org/x' })).toEqual({ [B.evidence]: expect.stringContaining('web link') });
    expect(errorsOf({ ref: 'ND-1.1', evidenceUrl: 'see the shared drive' })).toEqual({ [B.evidence]: expect.stringContaining('web link') });
  });

  it('refuses a note over 3,000 characters or with an NHS number, and a reason with one', () => {
    expect(errorsOf({ ref: 'ND-1.1', note: 'x'.repeat(3001) })[B.note]).toContain('limited to 3,000');
    expect(errorsOf({ ref: 'ND-1.1', note: 'Reviewed 943 476 5919' })[B.note]).toContain('NHS number');
    expect(errorsOf({ ref: 'ND-1.1', due: '2025-09-30', dueReason: 'Child 9434765919 moved' })[B.dueReason]).toContain('NHS number');
  });

  it('needs a reason with a new date, and a date with a reason', () => {
    expect(errorsOf({ ref: 'ND-1.1', due: '2025-09-30' })).toEqual({ [B.dueReason]: expect.stringContaining('why') });
    expect(errorsOf({ ref: 'ND-1.1', dueReason: 'Late contract' })).toEqual({ [B.due]: expect.stringContaining('Pick the new date') });
    expect(checkUpdateModal({ ref: 'ND-1.1', due: '2025-09-30', dueReason: 'Late contract' })).toMatchObject({ ok: true, input: { due: '2025-09-30', dueReason: 'Late contract' } });
  });

  it('needs an action and something to record', () => {
    expect(errorsOf({ status: 'green' })).toEqual({ [B.action]: expect.stringContaining('Choose the action') });
    expect(errorsOf({ ref: 'ND-1.1' })).toEqual({ [B.note]: expect.stringContaining('No change') });
    expect(errorsOf({ ref: 'ND-1.1', status: 'purple' })).toEqual({ [B.status]: expect.stringContaining('Choose a status') });
  });

  it('reports several problems at once', () => {
    expect(Object.keys(errorsOf({ ref: 'ND-1.1', percent: '150', evidenceUrl: 'nope', due: '2025-09-30' })).sort()).toEqual([B.dueReason, B.evidence, B.percent].sort());
  });
});

describe('modal helpers', () => {
  it('reads private_metadata defensively', () => {
    expect(readModalMetadata('{"ref":"ND-1.1","channel":"D1"}')).toEqual({ ref: 'ND-1.1', channel: 'D1' });
    expect(readModalMetadata('{"ref":5}')).toEqual({});
    expect(readModalMetadata('not json')).toEqual({});
    expect(readModalMetadata(undefined)).toEqual({});
  });

  it('adds the preselected action to the choices when it is not one of mine', async () => {
    const { db } = await demoPlanDb();
    const form = await withPreselected(db, { choices: [], ref: 'ND-1.1' });
    expect(form.choices.map((c) => c.ref)).toEqual(['ND-1.1']);
    expect((await withPreselected(db, { choices: [], ref: 'XX-9.9' })).choices).toEqual([]);
    await closeTestDb(db);
  });

  it('describes a no-frills submission', () => {
    expect(describeSubmission({ ref: 'TR-2.1', status: 'not_started' })).toBe('[modal] update TR-2.1 not started');
  });
});
