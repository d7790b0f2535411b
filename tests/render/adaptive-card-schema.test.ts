// Every kind of card sendbot makes, checked against Microsoft's official Adaptive Cards 1.5 schema
// (tests/fixtures/adaptive-cards, with Teams' documented `msteams: { width: "Full" }` exception):
// each notification the scheduler plans over a term of the demo plan (nudges with their form,
// reminders, overdue chasers, chair and channel digests, weekly digests, date requests), the replies
// to every chat command, the update form with errors, the feed reports, and the invoke answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { runTick } from '../../src/jobs/tick.js';
import { type AdaptiveCard, renderCards, renderUpdateFormCard, withFootnote } from '../../src/render/adaptive-card.js';
import { feedFailedReply } from '../../src/render/calendar-report.js';
import type { Reply } from '../../src/render/reply.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail, type Person } from '../../src/store/people-repository.js';
import { adaptiveCardSchemaErrors } from '../helpers/adaptive-card-schema.js';
import { DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import { closeTestDb } from '../helpers/test-db.js';

const FORM_KINDS = new Set(['nudge', 'reminder', 'overdue']);

function expectValid(cards: AdaptiveCard[], what: string): void {
  expect(cards.length, what).toBeGreaterThan(0);
  for (const card of cards) expect(adaptiveCardSchemaErrors(card), what).toEqual([]);
}

describe('every card sendbot makes is valid Adaptive Cards 1.5', () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await demoPlanDb());
  });
  afterAll(() => closeTestDb(db));

  it('the schema check itself refuses what Teams would refuse (so a pass means something)', () => {
    const good: AdaptiveCard = renderCards({ tone: 'info', summary: 'x', blocks: [] })[0] as AdaptiveCard;
    expect(adaptiveCardSchemaErrors(good)).toEqual([]);
    expect(adaptiveCardSchemaErrors({ ...good, msteams: { width: 'Wide' } })).not.toEqual([]);
    expect(adaptiveCardSchemaErrors({ ...good, body: [{ type: 'TextBlock' }] })).not.toEqual([]);
    expect(adaptiveCardSchemaErrors({ ...good, actions: [{ type: 'Action.Execute', title: 'x', style: 'loud' }] })).not.toEqual([]);
    expect(adaptiveCardSchemaErrors({ ...good, body: [{ type: 'TextBlock', text: 'x', colour: 'red' }] })).not.toEqual([]);
  });

  it('every notification planned over a term', async () => {
    const kinds = new Set<string>();
    let count = 0;
    for (const at of ['2024-09-16T09:30', '2024-10-14T09:30', '2024-11-18T10:00', '2024-11-25T09:30', '2025-01-13T09:30', '2025-03-03T09:30', '2025-05-12T09:30']) {
      for (const planned of (await runTick({ db, clock: fixedClock(at), dryRun: true })).enqueued) {
        kinds.add(planned.kind);
        const cards = renderCards(planned.payload.reply, FORM_KINDS.has(planned.kind) ? { updateForm: true } : {});
        expectValid(cards, `${planned.kind} ${planned.key}`);
        count += 1;
      }
    }
    expect(count).toBeGreaterThan(20);
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['chair_digest', 'nudge', 'weekly_digest']));
  });

  it('the reply to every chat command, for an owner and for an admin', async () => {
    const owner = (await findPersonByEmail(db, DEMO.headOfSend)) as Person;
    const admin = (await findPersonByEmail(db, DEMO.admin)) as Person;
    const commands = [
      'help',
      'help update',
      'mine',
      'status ND-1.1',
      'history ND-1.1',
      'who ND-1.1',
      'who waiting list',
      'update ND-1.1',
      'update ND-1.1 amber 60% pilot extended',
      'update ND-1.1 purple',
      'no change ND-1.1',
      'due',
      'overdue',
      'boards',
      'digest',
      'kpis',
      'kpi ND-WAIT',
      'dashboard',
      'away until 2024-12-02',
      'back',
      'handover "SCC Head of SEND" to priya.testwell@example.org',
      'frobnicate',
    ];
    for (const caller of [owner, admin]) {
      for (const typed of commands) {
        const answer: Reply = await runCommandText({ db, clock: fixedClock('2024-11-18T10:00') }, caller, 'teams', typed);
        expectValid(renderCards(answer), `${caller.email}: ${typed}`);
      }
    }
  });

  it('the update form, empty, with values and errors, and with many choices', () => {
    const choices = Array.from({ length: 150 }, (_, i) => ({ ref: `WF-${i}`, title: `Action ${i} <at>x</at>`, status: 'green' as const, due: i % 2 ? '2025-03-31' : null }));
    expectValid([renderUpdateFormCard({ choices })], 'empty form');
    expectValid(
      [
        renderUpdateFormCard(
          { choices, ref: 'WF-3' },
          {
            errors: { percent: 'Give a number from 0 to 100.', note: 'Too long', form: 'Give a status' },
            values: { action: 'WF-3', status: 'amber', percent: '150', note: 'x', evidence: 'https://e.example', due: '2025-01-31', due_reason: 'y' },
          },
        ),
      ],
      'form with errors',
    );
  });

  it('the invoke answers and the reports to programme officers', () => {
    const card = renderCards({ tone: 'success', summary: 'Saved', blocks: [] })[0] as AdaptiveCard;
    expectValid([withFootnote(card, 'Updated by Sam *Lead*, 10:42')], 'updated in place');
    expectValid(renderCards(feedFailedReply('SEND Partnership Board', 'https://committees.example.gov.uk/feed.ics', 'the server answered 500')), 'feed failed');
  });
});
