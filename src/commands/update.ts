// `/send update <ref> [status] [NN%] [due:<date>] [evidence:<url>] [note…]`
import { z } from 'zod';
import type { ActionStatus } from '../../db/types.js';
import { toStoredInstant } from '../clock.js';
import { readDeadline } from '../domain/deadlines.js';
import { updateRight } from '../domain/permissions.js';
import { STATUS_CHOICES, STATUS_SHORT, STATUS_WORD_LIST, statusPercentConflict } from '../domain/status.js';
import { stripUnsafeCharacters } from '../domain/text-safety.js';
import { fields, reply, type Reply, text } from '../render/reply.js';
import { formatDate, shortTitle } from '../render/format.js';
import type { ActionView } from '../store/actions-repository.js';
import { auditActor } from './audit-actor.js';
import { coveredOwner, loadCallerFacts } from '../store/caller-repository.js';
import { inTransaction } from '../store/database.js';
import { listUpdates, pendingDateChange, recordUpdate, requestDateChange } from '../store/updates-repository.js';
import { findActionOrExplain, looksLikeRef, readRef } from './action-lookup.js';
import { queueDateRequestNotices, type RequestNotices, withdrawDateRequestNotices } from './date-change-notices.js';
import { completedOn, describeDue } from './due-wording.js';
import { joinAnd, lastUpdateText, myActionChoices, whoCanUpdate } from './shared.js';
import { planExamples } from './command-examples.js';
import { MisreadField, parseUpdateWords } from './update-words.js';
import { splitWordSpans, type WordSpan } from './words.js';
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

export const updateSchema = z
  .object({
    typedRef: z.string().optional(),
    ref: z.string().optional(),
    status: z.enum(['not_started', 'green', 'amber', 'red', 'blue'], { message: `Choose a status: ${STATUS_CHOICES}.` }).optional(),
    percent: z
      .number({ message: 'Percent complete must be a whole number from 0 to 100, e.g. 60%.' })
      .int('Percent complete must be a whole number, e.g. 60%.')
      .min(0, 'Percent complete must be between 0% and 100%.')
      .max(100, 'Percent complete must be between 0% and 100%.')
      .optional(),
    note: z.string().trim().max(3000, 'The note is over 3,000 characters: please shorten it.').optional(),
    evidenceUrl: z
      .url({ protocol: /^https?$/, message: 'Evidence must be a web link starting https://, e.g. https://sharepoint.example.org/doc.' })
      .optional(),
    due: z.string().trim().optional(),
    dueReason: z.string().trim().max(3000, 'The reason for the new date is over 3,000 characters: please shorten it.').optional(),
    noChange: z.boolean().optional(),
    problems: z.array(z.string()).default([]),
  })
  .superRefine((v, ctx) => {
    for (const p of v.problems) ctx.addIssue({ code: 'custom', message: p });
    // Checked for the typed command and both forms alike; the form puts it under the percent field.
    const conflict = statusPercentConflict(v.status, v.percent);
    if (conflict) ctx.addIssue({ code: 'custom', message: conflict, path: ['percent'] });
  });

export const updateCommand = defineCommand({
  name: 'update',
  aliases: ['u'],
  summary: 'record progress on an action',
  usage: `/send update <ref> [${STATUS_WORD_LIST}] [NN%] [due:<new date>] [evidence:<link>] [note…]`,
  // Only actions this caller may update (src/domain/permissions.ts): an example they cannot run is no help.
  examples: (ex) => {
    const [first, second] = ex.updateRefs;
    if (!first) return [];
    return [
      `/send update ${first} amber 60% ${ex.updateNote}`,
      ...(second ? [`/send update ${second} green 80% agreed with partners`] : []),
      `/send update ${first} due:"${ex.newDue}" waiting for the new lead to start`,
      `/send update ${first} amber note: green paper still awaited`,
      `/send update ${first}`,
    ];
  },
  examplesNote: (ex) =>
    ex.updateRefs.length === 0
      ? 'You can’t update any action yet: an action is updated by its owner, a supporting role, a delegate while the owner is away, or a programme officer. /send who <ref> says who can update one.'
      : undefined,
  access: 'anyone',
  // Nothing after the ref (or no ref): only the form, or an answer about the ref, comes back.
  changesNothingWith: (args) => {
    const match = readRef(args);
    return match === undefined || args.length === match.consumed;
  },
  parse: (args, rawArgs) => {
    const match = readRef(args);
    if (!match) {
      if (args.length > 0 && looksLikeRef(args[0])) return { typedRef: args[0], problems: [] };
      if (args.length > 0) {
        return { problems: [`"${args[0]}" is not an action reference: start with the action’s ref`] };
      }
      return { problems: [] };
    }
    // Spans into what was typed, so the note is kept exactly as written (quotes and all).
    const spans = splitWordSpans(rawArgs);
    const source = spans.length === args.length && spans.every((s, i) => s.word === args[i]) ? { text: rawArgs, spans: spans.slice(match.consumed) } : undefined;
    return { typedRef: args.slice(0, match.consumed).join(' '), ref: match.ref, ...readUpdateWords(match.ref, args.slice(match.consumed), source) };
  },
  schema: updateSchema,
  handle: async (ctx, input) => await applyUpdate(ctx, input),
});

/** The words after the ref; a mistyped field becomes a specific refusal with the command as probably meant. */
function readUpdateWords(ref: string, words: string[], source?: { text: string; spans: WordSpan[] }) {
  try {
    return parseUpdateWords(words, source);
  } catch (error) {
    if (!(error instanceof MisreadField)) throw error;
    const hint = [error.advice, 'Nothing was saved.', error.corrected ? `Try: /send update ${ref} ${error.corrected.join(' ')}`.trimEnd() : null];
    throw new UserError(error.message, hint.filter(Boolean).join(' '));
  }
}

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

/** The input's free text without control or bidi-override characters (forms do not pass the router). */
function withSafeText(input: UpdateInput): UpdateInput {
  const out: UpdateInput = { ...input };
  for (const key of ['note', 'evidenceUrl', 'due', 'dueReason'] as const) {
    const value = input[key];
    if (value !== undefined) out[key] = stripUnsafeCharacters(value);
  }
  return out;
}

/** Shared by the typed command, the Slack modal, the Teams card and the No change button. */
export async function applyUpdate(given: CommandContext, unsafe: UpdateInput): Promise<Reply> {
  const ctx = { ...given, rawText: stripUnsafeCharacters(given.rawText) };
  const input = withSafeText(unsafe);
  if (!input.ref && !input.typedRef) return await updateForm(ctx);
  // Side by side: on PostgreSQL each is a round trip, and neither needs the other.
  const [action, facts] = await Promise.all([
    findActionOrExplain(ctx.db, input.typedRef ?? input.ref ?? '', input.ref),
    loadCallerFacts(ctx.db, ctx.caller, ctx.clock.now().toISODate() as string),
  ]);
  const right = updateRight(facts, action);
  if (!right) {
    throw new PermissionError(`You can't update ${action.ref}. ${await whoCanUpdate(ctx.db, action)}`);
  }
  const hasContent =
    input.noChange || input.status || input.percent !== undefined || input.note || input.evidenceUrl || input.due;
  if (!hasContent) return await updateForm(ctx, action);
  if (!input.noChange) {
    // Against the action's current status when none was given: "ND-1.2 40%" on a completed action.
    const conflict = statusPercentConflict(input.status ?? action.status, input.percent, input.status ? undefined : { ref: action.ref });
    if (conflict) throw new UserError(conflict, 'Nothing was saved.', 'percent');
  }

  const at = toStoredInstant(ctx.clock.now());
  let newDue: string | null = null;
  if (input.due) {
    const deadline = readDeadline(input.due, { reference: ctx.clock.now().toISODate() as string });
    if (!deadline.due) {
      const ex = await planExamples(ctx);
      throw new UserError(
        `I couldn't read "${input.due}" as a date.`,
        `Write the new date like due:"${ex.newDue}", due:${ex.newDueIso} or due:"${ex.newDueTerm}". Nothing was saved.`,
        'due',
      );
    }
    newDue = deadline.due;
    if (!(input.dueReason ?? input.note)) {
      throw new UserError(
        `Say why ${action.ref} needs a new date: the chair sees the reason with the request.`,
        `Example: /send update ${action.ref} due:"${input.due}" waiting for the new contract. Nothing was saved.`,
        'dueReason',
      );
    }
  }
  const status = input.noChange ? undefined : input.status;
  const percent = input.noChange ? undefined : input.percent;
  // A delegate's update says whom they were covering for, in history, the digest and the export.
  const covering = right === 'delegate' ? await coveredOwner(ctx.db, ctx.caller.id, action, ctx.clock.now().toISODate() as string) : undefined;

  let told: RequestNotices | undefined;
  let replaced = false;
  const result = await inTransaction(ctx.db, async () => {
    const recorded = await recordUpdate(ctx.db, {
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
      onBehalfOfPersonId: covering?.id ?? null,
    }, right === 'admin' || right === 'delegate' ? { at, ...auditActor(ctx), event: `update.by_${right}`, entity: action.ref } : undefined);
    const updateId = recorded.id;
    let changeId: number | undefined;
    if (newDue && input.due) {
      const earlier = await pendingDateChange(ctx.db, action.id);
      changeId = await requestDateChange(ctx.db, {
        actionId: action.id,
        requestedBy: ctx.caller.id,
        at,
        fromDue: action.due,
        toDue: newDue,
        phrase: input.due,
        reason: input.dueReason ?? input.note ?? null,
        updateId,
      });
      // The earlier request is withdrawn: its notices not yet sent are not sent, so a chair sees only this one.
      if (earlier) {
        await withdrawDateRequestNotices(ctx.db, earlier.id, at);
        replaced = true;
      }
      told = await queueDateRequestNotices(ctx.db, action, { id: changeId, fromDue: action.due, toDue: newDue, phrase: input.due, reason: input.dueReason ?? input.note ?? null }, ctx.caller, at);
    }
    return { updateId, changeId, after: recorded };
  });

  // Where the action stands now, as the write left it (status, percent; the due date moves only when a change is approved).
  const after = result.after;
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
        `Date change requested: ${formatDate(action.due)} → ${formatDate(newDue)}${replaced ? ' (it replaces your earlier request, which is withdrawn)' : ''}. ${sentTo(told, action.boardName)}; the due date stays ${formatDate(action.due)} until it is approved (baseline ${formatDate(action.baselineDue)}).`,
      ),
    );
  }
  const what = input.noChange ? `Recorded "no change" for ${action.ref}` : `Update recorded for ${action.ref}`;
  const on = right === 'owner' ? '' : right === 'supporting' ? ' (as a supporting role)' : right === 'delegate' ? ` (as delegate${covering ? ` for ${covering.name}` : ''})` : ' (as admin)';
  return reply('success', `${what}${on}.`, blocks);
}

/** Who was sent a date-change request, in words: the chair only when the board has one. */
function sentTo(told: RequestNotices | undefined, boardName: string | null): string {
  if (!told || told.to.length === 0) {
    return 'Nobody else can decide it yet: ask for another programme officer to be set up in sendbot (or, for a one-officer partnership, ALLOW_SELF_APPROVAL)';
  }
  const names = joinAnd(told.to);
  if (told.chairs) return `The chair${told.to.length === 1 ? '' : 's'} of ${boardName ?? 'the board'} (${names}) ${told.to.length === 1 ? 'has' : 'have'} been sent it with your reason`;
  return `${boardName ?? 'Its board'} has no chair in sendbot who can decide it, so the programme officers (${names}) have been sent it with your reason`;
}

/** The form; for one action, with where it stands now so the person can see what they are changing. */
async function updateForm(ctx: CommandContext, action?: ActionView): Promise<Reply> {
  const choices = await myActionChoices(ctx);
  if (choices.length === 0 && !action) {
    return reply('info', 'You have no actions to update.', [
      text('If you should have, ask a programme officer to check your role: /send who <ref> shows who owns an action.'),
    ]);
  }
  if (!action) {
    return reply('info', 'Which action do you want to update?', [text(`Reply with /send update <ref> [status] [NN%] [note…]${orUseTheForm(ctx)}`)], {
      form: { choices },
    });
  }
  return reply(
    'info',
    `Update ${action.ref}`,
    [
      fields([
        ['Action', shortTitle(action.text, 140)],
        ['Status', `${STATUS_SHORT[action.status]}${action.percent !== null ? ` (${action.percent}%)` : ''}`],
        ['Due', describeDue(action, action.status === 'blue' ? completedOn(await listUpdates(ctx.db, action.id)) : null)],
        ['Last update', lastUpdateText(action)],
      ]),
      text(`Reply with /send update ${action.ref} [status] [NN%] [note…]${orUseTheForm(ctx)}`),
    ],
    { form: { choices, ref: action.ref } },
  );
}

/** Offers the form only where one is shown (not the CLI, nor a console reading a pipe). */
function orUseTheForm(ctx: CommandContext): string {
  return ctx.noForms ? '.' : ', or use the form.';
}
