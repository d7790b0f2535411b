// `/send <text>`: acknowledge at once (Slack allows 3 seconds), then identify the caller, run the
// text through the command layer and answer ephemerally through the response_url. An update form
// request opens the modal with the command's trigger_id.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { noteLastPlatform } from '../../../../commands/identity.js';
import { runCommandText } from '../../../../commands/router.js';
import { reply, text } from '../../../../render/reply.js';
import type { SlackListenerDeps } from '../../listener-deps.js';
import { respondSorry, respondWithReply } from '../../slack-replies.js';
import { resolveSlackCaller } from '../../slack-identity.js';
import { openUpdateModal } from '../../update-modal.js';
import { afterAck } from '../../after-ack.js';

export function sendCommandListener(deps: SlackListenerDeps) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await afterAck();
    const log = deps.logger.child({ listener: 'send-command', slackUserId: command.user_id, channel: command.channel_id });
    try {
      const caller = await resolveSlackCaller(deps.db, client, command.user_id, log);
      if (!caller.person) {
        await respondWithReply(respond, caller.reply);
        return;
      }
      noteLastPlatform(deps.db, caller.person, 'slack');
      const answer = runCommandText({ db: deps.db, clock: deps.clock }, caller.person, 'slack', `/send ${command.text}`.trim());
      if (answer.form && (answer.form.choices.length > 0 || answer.form.ref)) {
        try {
          await openUpdateModal(client, deps.db, command.trigger_id, answer.form, { channel: command.channel_id });
          await respondWithReply(respond, reply('info', answer.form.ref ? `Opening the update form for ${answer.form.ref}…` : 'Opening the update form…'));
          return;
        } catch (error) {
          // An expired trigger (slow network) or a rejected view: the typed form of the reply still helps.
          log.warn({ err: error }, 'views.open failed; answering with text instead');
          await respondWithReply(respond, { ...answer, blocks: [...answer.blocks, text('The form could not be opened; type the update instead.', true)] });
          return;
        }
      }
      await respondWithReply(respond, answer);
    } catch (error) {
      log.error({ err: error, text: command.text }, '/send failed');
      await respondSorry(respond).catch((e: unknown) => log.error({ err: e }, 'could not tell the user /send failed'));
    }
  };
}
