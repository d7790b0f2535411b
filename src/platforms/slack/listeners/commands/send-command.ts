// `/send <text>`: acknowledge at once (Slack allows 3 seconds), then identify the caller, run the
// text through the command layer and answer ephemerally through the response_url. An update form
// request opens the modal with the command's trigger_id. The request is in the durable inbox from
// before the acknowledgement, and the command runs once (runOnce), even when replayed after a crash.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { noteLastPlatform } from '../../../../commands/identity.js';
import { changesNothing, runCommandText } from '../../../../commands/router.js';
import { reply, text } from '../../../../render/reply.js';
import { type InboxContext, keptForReplay, runOnce, workClock } from '../../durable-inbox.js';
import type { SlackListenerDeps } from '../../listener-deps.js';
import { respondFor } from '../../response-url.js';
import { decodeSlackEntities } from '../../slack-entities.js';
import { ReplyNotDeliveredError, respondSorry, respondWithReply } from '../../slack-replies.js';
import { resolveSlackCaller } from '../../slack-identity.js';
import { openUpdateModal } from '../../update-modal.js';

export function sendCommandListener(deps: SlackListenerDeps) {
  return async ({ command, ack, respond: boltRespond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const inbox = context as InboxContext;
    // Not started when the app is stopping: left in the inbox for a replay (work-gate.ts).
    if (!(await deps.work.turn(inbox))) return;
    const respond = respondFor(command, boltRespond);
    const clock = workClock(inbox, deps.clock);
    // Fields for this request's log lines. Not a child logger: with redaction on, making one per
    // request cost more garbage (about 7 kB) than the rest of the listener, for lines rarely written.
    const where = { listener: 'send-command', slackUserId: command.user_id, channel: command.channel_id, inboxId: inbox.inboxId };
    const log = deps.logger;
    try {
      const caller = await resolveSlackCaller(deps.db, client, command.user_id, log, clock);
      if (!caller.person) {
        await respondWithReply(respond, caller.reply);
        return;
      }
      const person = caller.person;
      const typed = `/send ${decodeSlackEntities(command.text ?? '')}`.trim();
      await noteLastPlatform(deps.db, person, 'slack');
      const once = await runOnce(
        deps.db,
        inbox,
        clock,
        async () => await runCommandText({ db: deps.db, clock, platformUserId: command.user_id, ...(deps.dashboard ? { dashboard: deps.dashboard } : {}), ...(deps.policy ? { policy: deps.policy } : {}) }, person, 'slack', typed),
        { changesNothing: changesNothing(typed) },
      );
      if (!once.ran) {
        log.info(where, 'this /send was already carried out (a replay after a restart); not run again');
        return;
      }
      const answer = once.value;
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
      const kept = keptForReplay(inbox, error);
      if (kept) {
        log.warn({ ...where, err: error }, 'the database did not answer while carrying out /send: kept, to be carried out as soon as it does');
      } else {
        const what = error instanceof ReplyNotDeliveredError ? 'the answer to /send could not be posted to Slack (no sorry sent: the command itself did not fail)' : '/send failed';
        log.error({ ...where, err: error, textLength: command.text?.length }, what);
      }
      await respondSorry(respond, error, kept).catch((e: unknown) => log.error({ ...where, err: e }, 'could not tell the user /send failed'));
    }
  };
}
