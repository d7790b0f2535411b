// `/send update <ref> [status] [NN%] [due:<date>] [evidence:<url>] [note…]`
import { z } from 'zod';
import type { ActionStatus } from '../../db/schema.js';
import { toStoredInstant } from '../clock.js';
import { readDeadline } from '../domain/deadlines.js';
import { updateRight } from '../domain/permissions.js';
import { readStatusWord, STATUS_SHORT, STATUS_WORD_LIST } from '../domain/status.js';
import { fields, reply, type Reply, text } from '../render/reply.js';
import { formatDate } from '../render/format.js';
import { type ActionView, listActionViews } from '../store/actions-repository.js';
import { recordAudit } from '../store/audit-repository.js';
import { loadCallerFacts } from '../store/caller-repository.js';
import { inTransaction } from '../store/database.js';
import { recordUpdate, requestDateChange } from '../store/updates-repository.js';
import { findActionOrExplain, looksLikeRef, readRef } from './action-lookup.js';
import { myActionChoices, whoCanUpdate } from './shared.js';
import { type CommandContext, defineCommand, PermissionError, UserError } from './types.js';

export interface UpdateInput {
  /** The reference as typed, for messages. */
  typedRef?: string;
  ref?: string;
  status?: ActionStatus;
  percent?: number;
  note?: string;
  evidenceUrl?: string;
  /** The date phrase after due: */
  due?: string;
  /** Reason for a date change; from the form, or the note when typed. */
  dueReason?: string;
  noChange?: boolean;
}

const TWO_WORD_STATUSES = new Set(['on track', 'off track', 'at risk', 'not started', 'not yet started']);
const DATEISH = /^(\d{1,4}(st|nd|rd|th)?[,.]?|\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?|\d{4}-\d{2}-\d{2}|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|end|of|the|by|q[1-4]|\d{2,4}\/\d{2,4}|term|autumn|spring|summer|[–-])$/i;

/** Splits the words after the ref into status, percent, options and the note. */
export function parseUpdateWords(words: string[]): Omit<UpdateInput, 'ref' | 'typedRef'> & { problems: string[] } {
  const out: Omit<UpdateInput, 'ref' | 'typedRef'> & { problems: string[] } = { problems: [] };
  const noteWords: string[] = [];
  let leading = true;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    const lower = word.toLowerCase();
    if (lower.startsWith('due:')) {
      let phrase = word.slice(4);
      if (phrase === '' || DATEISH.test(phrase)) {
        while (i + 1 < words.length && DATEISH.test(words[i + 1] as string)) {
          phrase = `${phrase} ${words[i + 1]}`.trim();
          i += 1;
        }
      }
      if (!phrase) out.problems.push('due: needs a date, e.g. due:"30 June 25"');
      out.due = phrase;
      continue;
    }
    if (lower.startsWith('evidence:')) {
      out.evidenceUrl = word.slice('evidence:'.length);
      continue;
    }
    if (leading) {
      const pair = i + 1 < words.length ? `${lower} ${(words[i + 1] as string).toLowerCase()}` : '';
      if (TWO_WORD_STATUSES.has(pair) && !out.status) {
        out.status = readStatusWord(pair);
        i += 1;
        continue;
      }
      const status = readStatusWord(word);
      if (status && !out.status) {
        out.status = status;
        continue;
      }
      const pct = /^(\d{1,3}(?:\.\d+)?)%$/.exec(word);
      if (pct && out.percent === undefined) {
        out.percent = Number(pct[1]);
        continue;
      }
      leading = false;
    }
    noteWords.push(word);
  }
  if (noteWords.length) out.note = noteWords.join(' ');
  return out;
}

export const updateSchema = z
  .object({
    typedRef: z.string().optional(),
    ref: z.string().optional(),
    status: z.enum(['not_started', 'green', 'amber', 'red', 'blue']).optional(),
    percent: z
      .number()
      .int('percent must be a whole number, e.g. 60%')
      .min(0, 'percent must be between 0% and 100%')
      .max(100, 'percent must be between 0% and 100%')
      .optional(),
    note: z.string().trim().max(3000, 'the note is over 3,000 characters').optional(),
    evidenceUrl: z.url({ protocol: /^https?$/, message: 'evidence must be a web link starting https://, e.g. evidence:https://sharepoint.example.org/doc' }).optional(),
    due: z.string().trim().optional(),
    dueReason: z.string().trim().max(3000).optional(),
    noChange: z.boolean().optional(),
    problems: z.array(z.string()).default([]),
  })
  .superRefine((v, ctx) => {
    for (const p of v.problems) ctx.addIssue({ code: 'custom', message: p });
  });

export const updateCommand = defineCommand({
  name: 'update',
  aliases: ['u'],
  summary: 'record progress on an action',
  usage: `/send update <ref> [${STATUS_WORD_LIST}] [NN%] [due:<new date>] [evidence:<link>] [note…]`,
  examples: [
    '/send update ND-1.2 amber 60% NDPT pilot extended; roll-out from Jan',
    '/send update TR-2.1 green 80% processes agreed with adult services',
    '/send update QA-1.1 due:"31 March 25" waiting for the new QA lead to start',
    '/send update ND-1.2',
  ],
  access: 'anyone',
  parse: (args) => {
    const match = readRef(args);
    if (!match) {
      if (args.length > 0 && looksLikeRef(args[0])) return { typedRef: args[0], problems: [] };
      if (args.length > 0) {
        return { problems: [`"${args[0]}" is not an action reference; refs look like ND-1.2`] };
      }
      return { problems: [] };
    }
    return { typedRef: args.slice(0, match.consumed).join(' '), ref: match.ref, ...parseUpdateWords(args.slice(match.consumed)) };
  },
  schema: updateSchema,
  handle: (ctx, input) => applyUpdate(ctx, input),
});

/**
 * A readable record of a form submission, kept as the update's raw text like a typed command.
 * `source` says where it came from ('modal' on Slack, 'card' on Teams).
 */
export function describeFormSubmission(source: string, input: UpdateInput): string {
  const parts = [`[${source}] update`, input.ref ?? ''];
  if (input.status) parts.push(input.status.replace('_', ' '));
  if (input.percent !== undefined) parts.push(`${input.percent}%`);
  if (input.due) parts.push(`due:${input.due}`);
  if (input.evidenceUrl) parts.push(`evidence:${input.evidenceUrl}`);
  if (input.note) parts.push(input.note);
  if (input.dueReason) parts.push(`(reason for the new date: ${input.dueReason})`);
  return parts.filter(Boolean).join(' ');
}

/** Shared by the typed command, the Slack modal, the Teams card and the No change button. */
export function applyUpdate(ctx: CommandContext, input: UpdateInput): Reply {
  if (!input.ref && !input.typedRef) return updateForm(ctx);
  const action = findActionOrExplain(ctx.db, input.typedRef ?? input.ref ?? '', input.ref);
  const facts = loadCallerFacts(ctx.db, ctx.caller, ctx.clock.now().toISODate() as string);
  const right = updateRight(facts, action);
  if (!right) {
    throw new PermissionError(`You can't update ${action.ref}. ${whoCanUpdate(ctx.db, action)}`);
  }
  const hasContent =
    input.noChange || input.status || input.percent !== undefined || input.note || input.evidenceUrl || input.due;
  if (!hasContent) return updateForm(ctx, action.ref);

  const at = toStoredInstant(ctx.clock.now());
  let newDue: string | null = null;
  if (input.due) {
    const deadline = readDeadline(input.due, { reference: ctx.clock.now().toISODate() as string });
    if (!deadline.due) {
      throw new UserError(
        `I couldn't read "${input.due}" as a date.`,
        'Write the new date like due:"30 June 25", due:2025-06-30 or due:"end of summer term 2025". Nothing was saved.',
      );
    }
    newDue = deadline.due;
    if (!(input.dueReason ?? input.note)) {
      throw new UserError(
        `Say why ${action.ref} needs a new date: the chair sees the reason with the request.`,
        `Example: /send update ${action.ref} due:"${input.due}" waiting for the new contract. Nothing was saved.`,
      );
    }
  }
  const status = input.noChange ? undefined : input.status;
  const percent = input.noChange ? undefined : input.percent;

  const result = inTransaction(ctx.db, () => {
    const updateId = recordUpdate(ctx.db, {
      actionId: action.id,
      personId: ctx.caller.id,
      at,
      platform: ctx.platform,
      kind: input.noChange ? 'no_change' : 'update',
      status,
      percent: percent ?? (status === 'blue' ? 100 : undefined),
      note: input.note ?? null,
      evidenceUrl: input.evidenceUrl ?? null,
      rawText: ctx.rawText,
    });
    let changeId: number | undefined;
    if (newDue && input.due) {
      changeId = requestDateChange(ctx.db, {
        actionId: action.id,
        requestedBy: ctx.caller.id,
        at,
        fromDue: action.due,
        toDue: newDue,
        phrase: input.due,
        reason: input.dueReason ?? input.note ?? null,
        updateId,
      });
    }
    if (right === 'admin' || right === 'delegate') {
      recordAudit(ctx.db, { at, actorPersonId: ctx.caller.id, event: `update.by_${right}`, entity: action.ref, detail: { updateId } });
    }
    return { updateId, changeId };
  });

  const after = listActionViews(ctx.db, { ids: [action.id] })[0] as ActionView;
  const blocks = [
    fields([
      ['Status', `${STATUS_SHORT[after.status]}${after.percent !== null ? ` (${after.percent}%)` : ''}`],
      ['Due', formatDate(after.due)],
      ['Note', input.note ?? null],
      ['Evidence', input.evidenceUrl ?? null],
    ]),
  ];
  if (result.changeId && newDue) {
    blocks.push(
      text(
        `Date change requested: ${formatDate(action.due)} → ${formatDate(newDue)}. The chair will see it with your reason; the due date stays ${formatDate(action.due)} until it is approved (baseline ${formatDate(action.baselineDue)}).`,
      ),
    );
  }
  const what = input.noChange ? `Recorded "no change" for ${action.ref}` : `Update recorded for ${action.ref}`;
  const on = right === 'owner' ? '' : right === 'supporting' ? ' (as a supporting role)' : right === 'delegate' ? ' (as delegate)' : ' (as admin)';
  return reply('success', `${what}${on}.`, blocks);
}

function updateForm(ctx: CommandContext, ref?: string): Reply {
  const choices = myActionChoices(ctx);
  if (choices.length === 0 && !ref) {
    return reply('info', 'You have no actions to update.', [
      text('If you should have, ask a programme officer to check your role: /send who <ref> shows who owns an action.'),
    ]);
  }
  return reply('info', ref ? `Update ${ref}` : 'Which action do you want to update?', [
    text('Reply with /send update <ref> [status] [NN%] [note…], or use the form.'),
  ], { form: { choices, ...(ref ? { ref } : {}) } });
}
