// A button on one of sendbot's cards, pressed: an Action.Execute invoke (adaptiveCard/action) or an
// Action.Submit message from an older card, both read by readCardSubmit. This works out what the
// answer is (a reply, or the update form again); the caller shows it — the invoke as the card that
// replaces the one pressed, the message as new messages.
//
// - the update form: field problems come back as the form card again, with each error under its
//   field and the values as submitted, and nothing is stored; a good submission goes through
//   applyUpdate, the typed command's path, as the person who pressed Submit;
// - No change: a no-change update through the same path;
// - reply buttons: "confirm" holds the full command to run ("/send handover … confirm") and runs
//   it as the person who clicked, with their permissions; "cancel" changes nothing; "update" and
//   "no_change" carry an action ref.
import type { TurnContext } from 'botbuilder';
import { runCommandText } from '../../../commands/router.js';
import { type CommandContext, PermissionError, UserError } from '../../../commands/types.js';
import { applyUpdate, type UpdateInput } from '../../../commands/update.js';
import type { Logger } from '../../../logger.js';
import type { CardSubmit, UpdateFormSubmit } from '../../../render/adaptive-card.js';
import { reply, type Reply, text } from '../../../render/reply.js';
import type { UpdateFormOptions } from '../../../render/adaptive-card.js';
import type { UpdateFormRequest } from '../../../render/reply.js';
import type { Person } from '../../../store/people-repository.js';
import type { TeamsHandlerDeps } from '../handler-deps.js';
import { sendReply, sendUpdateForm } from '../teams-replies.js';
import { checkUpdateForm, FIELD_FOR_INPUT, type FormErrors, formForCaller, formValues } from '../update-form.js';

/** What pressing the button comes to: a reply, or the update form (again, with its problems). */
export type CardOutcome = { kind: 'reply'; reply: Reply; changed: boolean } | { kind: 'form'; form: UpdateFormRequest; options: UpdateFormOptions };

/** Shows an outcome as new messages in the conversation (the Action.Submit path). */
export async function sendOutcome(context: TurnContext, outcome: CardOutcome): Promise<void> {
  if (outcome.kind === 'form') await sendUpdateForm(context, outcome.form, outcome.options);
  else await sendReply(context, outcome.reply);
}

/** The Teams account that pressed the button, for the audit log. */
const platformUser = (context: TurnContext): { platformUserId?: string } => (context.activity.from?.id ? { platformUserId: context.activity.from.id } : {});

const errorReply = (error: UserError | PermissionError): Reply =>
  reply('error', error.message, error instanceof UserError && error.hint ? [text(error.hint)] : []);

/** Runs applyUpdate; a refusal or a mistake becomes `undefined` plus the error, never a crash. */
async function tryUpdate(ctx: CommandContext, input: UpdateInput): Promise<{ answer: Reply } | { error: UserError | PermissionError }> {
  try {
    return { answer: await applyUpdate(ctx, input) };
  } catch (error) {
    if (error instanceof PermissionError || error instanceof UserError) return { error };
    throw error;
  }
}

async function submitUpdateForm(deps: TeamsHandlerDeps, context: TurnContext, caller: Person, submit: UpdateFormSubmit): Promise<CardOutcome> {
  const base = { db: deps.db, clock: deps.clock, caller, platform: 'teams' as const, ...platformUser(context) };
  const showAgain = async (errors: FormErrors): Promise<CardOutcome> => ({
    kind: 'form',
    form: await formForCaller({ ...base, rawText: '' }, submit.ref || undefined),
    options: { errors, values: formValues(submit) },
  });
  const check = checkUpdateForm(submit);
  if (!check.ok) return await showAgain(check.errors);
  const result = await tryUpdate({ ...base, rawText: check.rawText }, check.input);
  if ('error' in result) {
    const { error } = result;
    const field = (error instanceof UserError && error.field && FIELD_FOR_INPUT[error.field]) || 'action';
    return await showAgain({ [field]: error instanceof UserError && error.hint ? `${error.message} ${error.hint}` : error.message });
  }
  return { kind: 'reply', reply: result.answer, changed: true };
}

async function submitNoChange(deps: TeamsHandlerDeps, context: TurnContext, caller: Person, ref: string, source: string): Promise<CardOutcome> {
  const base = { db: deps.db, clock: deps.clock, caller, platform: 'teams' as const, ...platformUser(context) };
  if (!ref) return { kind: 'form', form: await formForCaller({ ...base, rawText: '' }), options: { errors: { action: 'Choose the action that has no change.' } } };
  const result = await tryUpdate({ ...base, rawText: `[${source}] no change ${ref}` }, { ref, typedRef: ref, noChange: true });
  return 'error' in result ? { kind: 'reply', reply: errorReply(result.error), changed: false } : { kind: 'reply', reply: result.answer, changed: true };
}

/** What the button comes to; nothing is sent from here. */
export async function handleCardSubmit(deps: TeamsHandlerDeps, context: TurnContext, caller: Person, submit: CardSubmit, log: Logger): Promise<CardOutcome> {
  const commands = { db: deps.db, clock: deps.clock, ...platformUser(context), ...(deps.policy ? { policy: deps.policy } : {}) };
  // A confirmed command changed something when it says so (success); a list or a link did not.
  const ran = (answer: Reply): CardOutcome => ({ kind: 'reply', reply: answer, changed: answer.tone === 'success' });
  switch (submit.kind) {
    case 'update_form':
      return await submitUpdateForm(deps, context, caller, submit);
    case 'no_change':
      return await submitNoChange(deps, context, caller, submit.ref, 'card');
    case 'button':
      switch (submit.id) {
        case 'cancel':
          return { kind: 'reply', reply: reply('info', 'Cancelled. Nothing was changed.'), changed: false };
        case 'update':
          // The typed path checks the ref and the caller's right to update it, and returns the form.
          return ran(await runCommandText(commands, caller, 'teams', `/send update ${submit.value}`));
        case 'no_change':
          return await submitNoChange(deps, context, caller, submit.value, 'button');
        case 'confirm':
          if (!/^\s*\/?send\b/i.test(submit.value)) {
            log.warn({ valueLength: submit.value.length }, 'unexpected confirm button value');
            return { kind: 'reply', reply: reply('error', 'That button is not one I recognise. Nothing was changed.'), changed: false };
          }
          return ran(await runCommandText(commands, caller, 'teams', submit.value));
      }
  }
}
