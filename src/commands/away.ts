// `/send away <until date> [delegate <person>]` and `/send back`.
import { z } from 'zod';
import { toStoredInstant } from '../clock.js';
import { readDeadline } from '../domain/deadlines.js';
import { formatDate } from '../render/format.js';
import { reply, text } from '../render/reply.js';
import { recordAudit } from '../store/audit-repository.js';
import { auditActor } from './audit-actor.js';
import { inTransaction } from '../store/database.js';
import { markPersonAway, markPersonBack } from '../store/person-availability-repository.js';
import { planExamples } from './command-examples.js';
import { findPersonOrExplain } from './person-lookup.js';
import { defineCommand, UserError } from './types.js';

export const awayCommand = defineCommand({
  name: 'away',
  aliases: ['leave', 'ooo'],
  summary: 'while you are away, nudges go to your delegate or wait until you are back',
  usage: '/send away <until date> [delegate <person>]',
  examples: (ex) => [`/send away ${ex.awayUntil} delegate ${ex.person}`, `/send away ${ex.awayUntilIso}`],
  access: 'anyone',
  parse: (_args, rawArgs) => {
    const m = /^(?:until\s+)?(.*?)(?:\s+(?:delegate|delegating to|to)\s+(.+))?$/i.exec(rawArgs.trim());
    return { until: m?.[1]?.trim() ?? '', delegate: m?.[2]?.trim() };
  },
  schema: z.object({
    until: z.string().min(1, 'Say until when: the last day you are away.'),
    delegate: z.string().optional(),
  }),
  handle: async (ctx, input) => {
    const today = ctx.clock.now().toISODate() as string;
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(input.until) ? input.until : readDayPhrase(input.until, today);
    if (!iso) {
      const ex = await planExamples(ctx);
      throw new UserError(`I couldn't read "${input.until}" as a date.`, `Write it like ${ex.awayUntil} or ${ex.awayUntilIso}.`);
    }
    if (iso < today) throw new UserError(`${formatDate(iso)} is in the past.`, 'Give the last day you are away.');
    if (iso > (ctx.clock.now().plus({ years: 1 }).toISODate() as string)) throw new UserError('That is more than a year away.', 'Give a date within the next year.');
    const delegate = input.delegate ? await findPersonOrExplain(ctx.db, input.delegate) : undefined;
    if (delegate && delegate.id === ctx.caller.id) throw new UserError('You can’t delegate to yourself.');
    const at = toStoredInstant(ctx.clock.now());
    await inTransaction(ctx.db, async () => {
      await markPersonAway(ctx.db, ctx.caller.id, iso, delegate?.id ?? null);
      await recordAudit(ctx.db, { at, ...auditActor(ctx), event: 'person.away', detail: { until: iso, delegate: delegate?.email ?? null } });
    });
    return reply('success', `Marked you away until ${formatDate(iso)}.`, [
      text(
        delegate
          ? `Nudges for your actions go to ${delegate.name} until then, and they can post updates for you.`
          : 'Nudges for your actions will wait until you are back.',
      ),
      text('Back early? /send back', true),
    ]);
  },
});

/** A single day like "3 January 2025", "3 Jan 25" or "3 Jan" (next occurrence). */
function readDayPhrase(phrase: string, today: string): string | undefined {
  const d = readDeadline(phrase, { reference: today });
  // Only an exact day is acceptable for leave: a month alone would silently mean its last day.
  if (!d.due || !/\b\d{1,2}(st|nd|rd|th)?\b/.test(phrase) || d.start) return undefined;
  return d.due;
}

export const backCommand = defineCommand({
  name: 'back',
  summary: 'you are back: nudges come to you again',
  usage: '/send back',
  examples: ['/send back'],
  access: 'anyone',
  parse: () => ({}),
  schema: z.object({}),
  handle: async (ctx) => {
    const wasAway = ctx.caller.awayUntil !== null;
    await markPersonBack(ctx.db, ctx.caller.id);
    return reply('success', wasAway ? 'Welcome back. Nudges come to you again; any that waited will arrive at the next tick.' : 'You were not marked away; nothing changed.');
  },
});
