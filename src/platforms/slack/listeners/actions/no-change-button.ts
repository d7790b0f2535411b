// The "No change" button on a nudge (value = action ref): records a no-change update through the
// same path as the typed command; it still counts as an update for the board.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noteLastPlatform } from '../../../../commands/identity.js';
import { PermissionError, UserError } from '../../../../commands/types.js';
import { applyUpdate } from '../../../../commands/update.js';
import { reply, text } from '../../../../render/reply.js';
import type { SlackListenerDeps } from '../../listener-deps.js';
import { respondSorry, respondWithReply } from '../../slack-replies.js';
import { resolveSlackCaller } from '../../slack-identity.js';
import { afterAck } from '../../after-ack.js';

export function noChangeButtonListener(deps: SlackListenerDeps) {
  return async ({ ack, body, action, respond, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await afterAck();
    const ref = action.value ?? '';
    const log = deps.logger.child({ listener: 'no-change-button', slackUserId: body.user.id, ref });
    try {
      const caller = await resolveSlackCaller(deps.db, client, body.user.id, log);
      if (!caller.person) {
        await respondWithReply(respond, caller.reply);
        return;
      }
      noteLastPlatform(deps.db, caller.person, 'slack');
      const ctx = { db: deps.db, clock: deps.clock, caller: caller.person, platform: 'slack' as const, rawText: `[button] no change ${ref}` };
      let answer;
      try {
        answer = applyUpdate(ctx, { ref, typedRef: ref, noChange: true });
      } catch (error) {
        if (error instanceof PermissionError) answer = reply('error', error.message);
        else if (error instanceof UserError) answer = reply('error', error.message, error.hint ? [text(error.hint)] : []);
        else throw error;
      }
      await respondWithReply(respond, answer);
    } catch (error) {
      log.error({ err: error }, 'No change button failed');
      await respondSorry(respond).catch((e: unknown) => log.error({ err: e }, 'could not tell the user the button failed'));
    }
  };
}
