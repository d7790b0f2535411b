// An Action.Submit on one of sendbot's cards (activity.value, read by readCardSubmit):
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
import type { Person } from '../../../store/people-repository.js';
import type { TeamsHandlerDeps } from '../handler-deps.js';
import { sendReply, sendUpdateForm } from '../teams-replies.js';
import { checkUpdateForm, FIELD_FOR_INPUT, type FormErrors, formForCaller, formValues } from '../update-form.js';

/** The Teams account that pressed the button, for the audit log. */
const platformUser = (context: TurnContext): { platformUserId?: string } => (context.activity.from?.id ? { platformUserId: context.activity.from.id } : {});

const errorReply = (error: UserError | PermissionError): Reply =>
  reply('error', error.message, error instanceof UserError && error.hint ? [text(error.hint)] : []);

/** Runs applyUpdate; a refusal or a mistake becomes `undefined` plus the error, never a crash. */
function tryUpdate(ctx: CommandContext, input: UpdateInput): { answer: Reply } | { error: UserError | PermissionError } {
  try {
    return { answer: applyUpdate(ctx, input) };
  } catch (error) {
    if (error instanceof PermissionError || error instanceof UserError) return { error };
    throw error;
  }
}

async function submitUpdateForm(deps: TeamsHandlerDeps, context: TurnContext, caller: Person, submit: UpdateFormSubmit): Promise<void> {
  const base = { db: deps.db, clock: deps.clock, caller, platform: 'teams' as const, ...platformUser(context) };
  const showAgain = (errors: FormErrors) => sendUpdateForm(context, formForCaller({ ...base, rawText: '' }, submit.ref || undefined), { errors, values: formValues(submit) });
  const check = checkUpdateForm(submit);
  if (!check.ok) {
    await showAgain(check.errors);
    return;
  }
  const result = tryUpdate({ ...base, rawText: check.rawText }, check.input);
  if ('error' in result) {
    const { error } = result;
    const field = (error instanceof UserError && error.field && FIELD_FOR_INPUT[error.field]) || 'action';
    await showAgain({ [field]: error instanceof UserError && error.hint ? `${error.message} ${error.hint}` : error.message });
    return;
  }
  await sendReply(context, result.answer);
}

async function submitNoChange(deps: TeamsHandlerDeps, context: TurnContext, caller: Person, ref: string, source: string): Promise<void> {
  const base = { db: deps.db, clock: deps.clock, caller, platform: 'teams' as const, ...platformUser(context) };
  if (!ref) {
    await sendUpdateForm(context, formForCaller({ ...base, rawText: '' }), { errors: { action: 'Choose the action that has no change.' } });
    return;
  }
  const result = tryUpdate({ ...base, rawText: `[${source}] no change ${ref}` }, { ref, typedRef: ref, noChange: true });
  await sendReply(context, 'error' in result ? errorReply(result.error) : result.answer);
}

export async function handleCardSubmit(deps: TeamsHandlerDeps, context: TurnContext, caller: Person, submit: CardSubmit, log: Logger): Promise<void> {
  const commands = { db: deps.db, clock: deps.clock, ...platformUser(context), ...(deps.policy ? { policy: deps.policy } : {}) };
  switch (submit.kind) {
    case 'update_form':
      await submitUpdateForm(deps, context, caller, submit);
      return;
    case 'no_change':
      await submitNoChange(deps, context, caller, submit.ref, 'card');
      return;
    case 'button':
      switch (submit.id) {
        case 'cancel':
          await sendReply(context, reply('info', 'Cancelled. Nothing was changed.'));
          return;
        case 'update':
          // The typed path checks the ref and the caller's right to update it, and returns the form.
          await sendReply(context, runCommandText(commands, caller, 'teams', `/send update ${submit.value}`));
          return;
        case 'no_change':
          await submitNoChange(deps, context, caller, submit.value, 'button');
          return;
        case 'confirm':
          if (!/^\s*\/?send\b/i.test(submit.value)) {
            log.warn({ valueLength: submit.value.length }, 'unexpected confirm button value');
            await sendReply(context, reply('error', 'That button is not one I recognise. Nothing was changed.'));
            return;
          }
          await sendReply(context, runCommandText(commands, caller, 'teams', submit.value));
          return;
      }
  }
}
