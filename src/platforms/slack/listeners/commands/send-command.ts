// `/send <text>`: acknowledge at once (Slack allows 3 seconds), then have the caller identified and
// the text run through the command layer (slash-command-work.ts, on the command worker when there is
// one) and answer ephemerally through the response_url. An update form
// request opens the modal with the command's trigger_id. The request is in the durable inbox from
// before the acknowledgement, and the command runs once (runOnce), even when replayed after a crash.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { toStoredInstant } from '../../../../clock.js';
import { reply, text } from '../../../../render/reply.js';
import { afterAck } from '../../after-ack.js';
import { mainThreadRunner } from '../../command-worker.js';
import { type InboxContext, workClock } from '../../durable-inbox.js';
import type { SlackListenerDeps } from '../../listener-deps.js';
import { respondFor } from '../../response-url.js';
import { respondSorry, respondWithReply } from '../../slack-replies.js';
import { restoreError, type SlashCommandJob } from '../../slash-command-work.js';
import { openUpdateModal } from '../../update-modal.js';

export function sendCommandListener(deps: SlackListenerDeps) {
  return async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    // Paced (ack-pacing.ts): while too many acknowledged commands are still being worked on, the
    // acknowledgement waits briefly for one to finish. The request is in the durable inbox already.
    await deps.pacing?.admit();
    try {
      await args.ack();
      await afterAck();
      await answerCommand(deps, args);
    } finally {
      deps.pacing?.done();
    }
  };
}

/** After the acknowledgement: the command's work (here or on the worker), then the answer. */
async function answerCommand(deps: SlackListenerDeps, { command, respond: boltRespond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  const respond = respondFor(command, boltRespond);
  const inbox = context as InboxContext;
  // Fields for this request's log lines. Not a child logger: with redaction on, making one per
  // request cost more garbage (about 7 kB) than the rest of the listener, for lines rarely written.
  const where = { listener: 'send-command', slackUserId: command.user_id, channel: command.channel_id, inboxId: inbox.inboxId };
  const log = deps.logger;
  const job: SlashCommandJob = {
    userId: command.user_id,
    text: command.text ?? '',
    inbox: inbox.inboxId !== undefined ? { inboxId: inbox.inboxId } : {},
    now: toStoredInstant(workClock(inbox, deps.clock).now()),
  };
  // On the command worker when there is one (command-worker.ts), else here.
  const runner = deps.commands ?? mainThreadRunner({ db: deps.db, client, logger: log, ...(deps.dashboard ? { dashboard: deps.dashboard } : {}), ...(deps.policy ? { policy: deps.policy } : {}) });
  const outcome = await runner.run(job);
  if (outcome.settled) inbox.inboxSettled = true;
  try {
    if (outcome.kind === 'failed') throw restoreError(outcome.error);
    if (outcome.kind === 'already-done') {
      log.info(where, 'this /send was already carried out (a replay after a restart); not run again');
      return;
    }
    const answer = outcome.reply;
    if (answer.form && (answer.form.choices.length > 0 || answer.form.ref)) {
      try {
        await openUpdateModal(client, deps.db, command.trigger_id, answer.form, { channel: command.channel_id });
        await respondWithReply(respond, reply('info', answer.form.ref ? `Opening the update form for ${answer.form.ref}…` : 'Opening the update form…'));
        return;
      } catch (error) {
        // An expired trigger (slow network) or a rejected view: the typed form of the reply still helps.
        log.warn({ ...where, err: error }, 'views.open failed; answering with text instead');
        await respondWithReply(respond, { ...answer, blocks: [...answer.blocks, text('The form could not be opened; type the update instead.', true)] });
        return;
      }
    }
    await respondWithReply(respond, answer);
  } catch (error) {
    // Not the text: it may be exactly what was refused, and logs are kept longer than the plan's data.
    log.error({ ...where, err: error, textLength: command.text?.length }, '/send failed');
    await respondSorry(respond, error).catch((e: unknown) => log.error({ ...where, err: e }, 'could not tell the user /send failed'));
  }
}
