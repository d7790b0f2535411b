// Buttons a command reply carries (`send_button_<id>`): "confirm" holds the full command to run
// (e.g. "/send handover … confirm") and runs it as the person who clicked, with their permissions,
// once (it is in the durable inbox, like a slash command); "cancel" changes nothing; "update" and
// "no_change" carry a ref and are handled like the nudge buttons by their own listeners.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noteLastPlatform } from '../../../../commands/identity.js';
import { runCommandText } from '../../../../commands/router.js';
import { ACTION_IDS } from '../../../../render/block-kit.js';
import { reply } from '../../../../render/reply.js';
import { type InboxContext, keptForReplay, runOnce, workClock } from '../../durable-inbox.js';
import type { SlackListenerDeps } from '../../listener-deps.js';
import { respondSorry, respondWithReply } from '../../slack-replies.js';
import { resolveSlackCaller } from '../../slack-identity.js';

export function replyButtonListener(deps: SlackListenerDeps) {
  return async ({ ack, body, action, respond, client, context }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const inbox = context as InboxContext;
    // Not started when the app is stopping: left in the inbox for a replay (work-gate.ts).
    if (!(await deps.work.turn(inbox))) return;
    const clock = workClock(inbox, deps.clock);
    const id = action.action_id.slice(ACTION_IDS.buttonPrefix.length);
    const log = deps.logger.child({ listener: 'reply-button', slackUserId: body.user.id, button: id, inboxId: inbox.inboxId });
    try {
      if (id === 'cancel') {
        await respondWithReply(respond, reply('info', 'Cancelled. Nothing was changed.'));
        return;
      }
      const caller = await resolveSlackCaller(deps.db, client, body.user.id, log, clock);
      if (!caller.person) {
        await respondWithReply(respond, caller.reply);
        return;
      }
      const value = action.value ?? '';
      if (id !== 'confirm' || !/^\s*\/?send\b/i.test(value)) {
        log.warn({ valueLength: value.length }, 'unexpected reply button');
        await respondWithReply(respond, reply('error', 'That button is not one I recognise. Nothing was changed.'));
        return;
      }
      const person = caller.person;
      const once = await runOnce(deps.db, inbox, clock, async () => {
        await noteLastPlatform(deps.db, person, 'slack');
        return await runCommandText({ db: deps.db, clock, platformUserId: body.user.id, ...(deps.policy ? { policy: deps.policy } : {}) }, person, 'slack', value);
      });
      if (!once.ran) {
        log.info('this confirmation was already carried out (a replay after a restart); not run again');
        return;
      }
      await respondWithReply(respond, once.value);
    } catch (error) {
      log.error({ err: error }, 'reply button failed');
      await respondSorry(respond, error, keptForReplay(inbox, error)).catch((e: unknown) => log.error({ err: e }, 'could not tell the user the button failed'));
    }
  };
}
