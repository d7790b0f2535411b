// The update form card's translation layer: the form to show a person (their actions, the chosen
// one preselected) and a submission turned into the same UpdateInput the typed command produces, or
// into errors keyed by the card's field ids. Validation reuses the command's own rules (updateSchema,
// checkUserText) so the card can never accept what `update` typed in a chat would refuse.
import type { CommandContext } from '../../commands/types.js';
import { myActionChoices } from '../../commands/shared.js';
import { type UpdateInput, updateSchema } from '../../commands/update.js';
import { checkUserText, describeTextProblem } from '../../domain/text-safety.js';
import type { UpdateFormField, UpdateFormOptions, UpdateFormSubmit } from '../../render/adaptive-card.js';
import { shortTitle } from '../../render/format.js';
import type { UpdateFormRequest } from '../../render/reply.js';
import { getActionView } from '../../store/actions-repository.js';
import { describeFormSubmission } from '../../commands/update.js';
import { readPercentText } from '../../commands/update-words.js';

const STATUSES = new Set(['not_started', 'green', 'amber', 'red', 'blue']);

export type FormErrors = NonNullable<UpdateFormOptions['errors']>;

export type FormCheck = { ok: true; input: UpdateInput; rawText: string } | { ok: false; errors: FormErrors };

/**
 * The form for the caller: their open actions, and `ref` preselected. The preselected action is
 * always a choice, because a supporting role, delegate or admin may update an action that is not
 * "theirs" (the update path checks that they may).
 */
export async function formForCaller(ctx: CommandContext, ref?: string): Promise<UpdateFormRequest> {
  const choices = await myActionChoices(ctx);
  const selected = ref ? await getActionView(ctx.db, ref) : undefined;
  if (selected && !choices.some((c) => c.ref === selected.ref)) {
    choices.unshift({ ref: selected.ref, title: shortTitle(selected.text, 60), status: selected.status, due: selected.due });
  }
  return { choices, ...(selected ? { ref: selected.ref } : {}) };
}

/** The submitted values keyed by field id, to show again beside the errors. */
export function formValues(submit: UpdateFormSubmit): UpdateFormOptions['values'] {
  const values: NonNullable<UpdateFormOptions['values']> = {};
  if (submit.ref) values.action = submit.ref;
  if (submit.status) values.status = submit.status;
  if (submit.percent) values.percent = submit.percent;
  if (submit.note) values.note = submit.note;
  if (submit.evidenceUrl) values.evidence = submit.evidenceUrl;
  if (submit.due) values.due = submit.due;
  if (submit.dueReason) values.due_reason = submit.dueReason;
  return values;
}

/** Which card field shows a problem with each UpdateInput field (and a UserError's `field`). */
export const FIELD_FOR_INPUT: Record<string, UpdateFormField> = {
  ref: 'action',
  typedRef: 'action',
  status: 'status',
  percent: 'percent',
  note: 'note',
  evidenceUrl: 'evidence',
  due: 'due',
  dueReason: 'due_reason',
};

/** A readable record of what was submitted, kept as the update's raw text (like a typed command). */
export function describeCardSubmission(input: UpdateInput): string {
  return describeFormSubmission('card', input);
}

/**
 * Checks a submission field by field; every problem is returned at once, each under its field, so
 * the person can fix them all in one go.
 */
export function checkUpdateForm(submit: UpdateFormSubmit): FormCheck {
  const errors: FormErrors = {};
  const add = (field: UpdateFormField | 'form', message: string): void => {
    errors[field] ??= message;
  };

  // A field sent as an object or a list (not from this card) is refused rather than dropped, so an
  // update is never stored without part of what was sent.
  for (const field of submit.wrongTypes ?? []) add(field, 'This field must be text; fill it in again and resend the form.');
  if (!submit.ref) add('action', 'Choose the action you are updating.');
  if (submit.status !== undefined && !STATUSES.has(submit.status)) add('status', 'Choose a status from the list.');

  let percent: number | undefined;
  if (submit.percent !== undefined) {
    const read = readPercentText(submit.percent);
    if ('problem' in read) add('percent', read.problem);
    else percent = read.percent;
  }

  // The same text checks the router applies to a whole typed command, field by field.
  for (const [field, value] of [
    ['note', submit.note],
    ['due_reason', submit.dueReason],
    ['evidence', submit.evidenceUrl],
  ] as const) {
    const problem = value === undefined ? undefined : checkUserText(value);
    if (problem) add(field, describeTextProblem(problem));
  }

  if (submit.due !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(submit.due)) add('due', 'Pick the new date from the calendar.');
  if (submit.due && !submit.dueReason) add('due_reason', 'Say why the date needs to change: the chair sees the reason with the request.');
  if (submit.dueReason && !submit.due) add('due', 'Pick the new date this reason is for, or clear the reason.');

  const hasContent = submit.status || submit.percent !== undefined || submit.note || submit.evidenceUrl || submit.due;
  if (!hasContent && Object.keys(errors).length === 0) {
    add('form', 'Give a status, percent, note, evidence link or new date. To report no progress, choose No change.');
  }

  const input: UpdateInput = {
    ...(submit.ref ? { ref: submit.ref, typedRef: submit.ref } : {}),
    ...(submit.status && STATUSES.has(submit.status) ? { status: submit.status as UpdateInput['status'] } : {}),
    ...(percent !== undefined ? { percent } : {}),
    ...(submit.note ? { note: submit.note } : {}),
    ...(submit.evidenceUrl ? { evidenceUrl: submit.evidenceUrl } : {}),
    ...(submit.due ? { due: submit.due } : {}),
    ...(submit.dueReason ? { dueReason: submit.dueReason } : {}),
  };

  // The typed command's own schema: percent range, note length, evidence must be an http(s) link.
  const parsed = updateSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(FIELD_FOR_INPUT[String(issue.path[0] ?? 'ref')] ?? 'form', issue.message);
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input, rawText: describeCardSubmission(input) };
}
