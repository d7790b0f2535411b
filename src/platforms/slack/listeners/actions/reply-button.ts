// Buttons a command reply carries (`send_button_<id>`): "confirm" holds the full command to run
// (e.g. "/send handover … confirm") and runs it as the person who clicked, with their permissions;
// "cancel" changes nothing; "update" and "no_change" carry a ref and are handled like the nudge
// buttons by their own listeners.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noteLastPlatform } from '../../../../commands/identity.js';
import { runCommandText } from '../../../../commands/router.js';
import { ACTION_IDS } from '../../../../render/block-kit.js';
import { reply } from '../../../../render/reply.js';
import type { SlackListenerDeps } from '../../listener-deps.js';
import { respondSorry, respondWithReply } from '../../slack-replies.js';
import { resolveSlackCaller } from '../../slack-identity.js';
import { afterAck } from '../../after-ack.js';

export function replyButtonListener(deps: SlackListenerDeps) {
  return async ({ ack, body, action, respond, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await afterAck();
    const id = action.action_id.slice(ACTION_IDS.buttonPrefix.length);
    const log = deps.logger.child({ listener: 'reply-button', slackUserId: body.user.id, button: id });
    try {
      if (id === 'cancel') {
        await respondWithReply(respond, reply('info', 'Cancelled. Nothing was changed.'));
        return;
      }
      const caller = await resolveSlackCaller(deps.db, client, body.user.id, log);
      if (!caller.person) {
        await respondWithReply(respond, caller.reply);
        return;
      }
      const value = action.value ?? '';
      if (id !== 'confirm' || !/^\s*\/?send\b/i.test(value)) {
        log.warn({ value }, 'unexpected reply button');
        await respondWithReply(respond, reply('error', 'That button is not one I recognise. Nothing was changed.'));
        return;
      }
      noteLastPlatform(deps.db, caller.person, 'slack');
      await respondWithReply(respond, runCommandText({ db: deps.db, clock: deps.clock }, caller.person, 'slack', value));
    } catch (error) {
      log.error({ err: error }, 'reply button failed');
      await respondSorry(respond).catch((e: unknown) => log.error({ err: e }, 'could not tell the user the button failed'));
    }
  };
}
