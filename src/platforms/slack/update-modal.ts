// The update modal's translation layer: opening it (prefilled) and turning a submission into the
// same UpdateInput the typed command produces, or into field-level errors keyed by block_id.
// Validation reuses the command's own rules (updateSchema, checkUserText) so the form can never
// accept what `/send update` would refuse.
import type { WebClient } from '@slack/web-api';
import type { UpdateInput } from '../../commands/update.js';
import { updateSchema } from '../../commands/update.js';
import { checkUserText, describeTextProblem } from '../../domain/text-safety.js';
import { renderUpdateModal, UPDATE_MODAL_BLOCKS, type UpdateModalValues } from '../../render/block-kit.js';
import { shortTitle } from '../../render/format.js';
import type { UpdateFormRequest } from '../../render/reply.js';
import { getActionView } from '../../store/actions-repository.js';
import type { Db } from '../../store/database.js';
import { describeFormSubmission } from '../../commands/update.js';
import { readPercentText } from '../../commands/update-words.js';

const B = UPDATE_MODAL_BLOCKS;
const STATUSES = new Set(['not_started', 'green', 'amber', 'red', 'blue']);

/** Carried through the modal in private_metadata. */
export interface ModalMetadata {
  ref?: string;
  /** Where the form was asked for (a channel or DM id), for the record; replies go to the person's DM. */
  channel?: string;
}

export function readModalMetadata(raw: string | undefined): ModalMetadata {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { ref, channel } = parsed as Record<string, unknown>;
    return { ...(typeof ref === 'string' ? { ref } : {}), ...(typeof channel === 'string' ? { channel } : {}) };
  } catch {
    return {};
  }
}

/**
 * The choice list always includes the preselected action: a supporting role, a delegate or an admin
 * may update an action that is not "theirs" (the command has already checked they may).
 */
export async function withPreselected(db: Db, form: UpdateFormRequest): Promise<UpdateFormRequest> {
  if (!form.ref || form.choices.some((c) => c.ref === form.ref)) return form;
  const action = await getActionView(db, form.ref);
  if (!action) return form;
  return { ...form, choices: [{ ref: action.ref, title: shortTitle(action.text, 60), status: action.status, due: action.due }, ...form.choices] };
}

/** Opens the update modal for `form` (from an update reply) with Slack's trigger_id. */
export async function openUpdateModal(client: WebClient, db: Db, triggerId: string, form: UpdateFormRequest, meta: ModalMetadata): Promise<void> {
  const full = await withPreselected(db, form);
  const metadata: ModalMetadata = { ...(full.ref ? { ref: full.ref } : {}), ...(meta.channel ? { channel: meta.channel } : {}) };
  const view = renderUpdateModal(full, {
    privateMetadata: JSON.stringify(metadata),
    ...(full.ref ? { values: { [B.action]: full.ref } } : {}),
  });
  await client.views.open({ trigger_id: triggerId, view });
}

export type ModalCheck = { ok: true; input: UpdateInput; rawText: string } | { ok: false; errors: Record<string, string> };

/** Which modal block shows a problem with each UpdateInput field (and a UserError's `field`). */
export const BLOCK_FOR_FIELD: Record<string, string> = {
  ref: B.action,
  typedRef: B.action,
  status: B.status,
  percent: B.percent,
  note: B.note,
  evidenceUrl: B.evidence,
  due: B.due,
  dueReason: B.dueReason,
};

/** A readable record of what was submitted, kept as the update's raw text (like a typed command). */
export function describeSubmission(input: UpdateInput): string {
  return describeFormSubmission('modal', input);
}

/**
 * Checks a submission field by field. Every problem found is returned at once, each on the block
 * it belongs to, so the person can fix them all in one go.
 */
export function checkUpdateModal(values: UpdateModalValues): ModalCheck {
  const errors: Record<string, string> = {};
  const add = (block: string, message: string): void => {
    errors[block] ??= message;
  };

  if (!values.ref) add(B.action, 'Choose the action you are updating.');
  if (values.status !== undefined && !STATUSES.has(values.status)) add(B.status, 'Choose a status from the list.');

  let percent: number | undefined;
  if (values.percent !== undefined) {
    const read = readPercentText(values.percent);
    if ('problem' in read) add(B.percent, read.problem);
    else percent = read.percent;
  }

  // The same text checks the router applies to a whole typed command, field by field.
  for (const [block, value] of [
    [B.note, values.note],
    [B.dueReason, values.dueReason],
    [B.evidence, values.evidenceUrl],
  ] as const) {
    const problem = value === undefined ? undefined : checkUserText(value);
    if (problem) add(block, describeTextProblem(problem));
  }

  if (values.due !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.due)) add(B.due, 'Pick the new date from the calendar.');
  if (values.due && !values.dueReason?.trim()) {
    add(B.dueReason, 'Say why the date needs to change: the chair sees the reason with the request.');
  }
  if (values.dueReason?.trim() && !values.due) add(B.due, 'Pick the new date this reason is for, or clear the reason.');

  const hasContent = values.status || values.percent !== undefined || values.note || values.evidenceUrl || values.due;
  if (!hasContent && Object.keys(errors).length === 0) {
    add(B.note, 'Give a status, percent, note, evidence link or new date. To report no progress, use the No change button on your reminder.');
  }

  const input: UpdateInput = {
    ...(values.ref ? { ref: values.ref } : {}),
    ...(values.status && STATUSES.has(values.status) ? { status: values.status as UpdateInput['status'] } : {}),
    ...(percent !== undefined ? { percent } : {}),
    ...(values.note?.trim() ? { note: values.note.trim() } : {}),
    ...(values.evidenceUrl?.trim() ? { evidenceUrl: values.evidenceUrl.trim() } : {}),
    ...(values.due ? { due: values.due } : {}),
    ...(values.dueReason?.trim() ? { dueReason: values.dueReason.trim() } : {}),
  };

  // The typed command's own schema: percent range, note length, evidence must be an http(s) link.
  const parsed = updateSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'ref');
      add(BLOCK_FOR_FIELD[field] ?? B.action, issue.message);
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input, rawText: describeSubmission(input) };
}
