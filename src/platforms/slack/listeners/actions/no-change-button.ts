// The "No change" button on a nudge (value = action ref): records a no-change update through the
// same path as the typed command; it still counts as an update for the board. Like a slash command
// it is acknowledged first, from the durable inbox, and recorded once (runOnce).
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noteLastPlatform } from '../../../../commands/identity.js';
import { PermissionError, UserError } from '../../../../commands/types.js';
import { applyUpdate } from '../../../../commands/update.js';
import { reply, type Reply, text } from '../../../../render/reply.js';
import { type InboxContext, keptForReplay, runOnce, workClock } from '../../durable-inbox.js';
import type { SlackListenerDeps } from '../../listener-deps.js';
import { respondSorry, respondWithReply } from '../../slack-replies.js';
import { resolveSlackCaller } from '../../slack-identity.js';

export function noChangeButtonListener(deps: SlackListenerDeps) {
  return async ({ ack, body, action, respond, client, context }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const inbox = context as InboxContext;
    // Not started when the app is stopping: left in the inbox for a replay (work-gate.ts).
    if (!(await deps.work.turn(inbox))) return;
    const clock = workClock(inbox, deps.clock);
    const ref = action.value ?? '';
    const log = deps.logger.child({ listener: 'no-change-button', slackUserId: body.user.id, ref, inboxId: inbox.inboxId });
    try {
      const caller = await resolveSlackCaller(deps.db, client, body.user.id, log, clock);
      if (!caller.person) {
        await respondWithReply(respond, caller.reply);
        return;
      }
      const person = caller.person;
      const ctx = { db: deps.db, clock, caller: person, platform: 'slack' as const, rawText: `[button] no change ${ref}`, platformUserId: body.user.id };
      const once = await runOnce(deps.db, inbox, clock, async (): Promise<Reply> => {
        await noteLastPlatform(deps.db, person, 'slack');
        try {
          return await applyUpdate(ctx, { ref, typedRef: ref, noChange: true });
        } catch (error) {
          if (error instanceof PermissionError) return reply('error', error.message);
          if (error instanceof UserError) return reply('error', error.message, error.hint ? [text(error.hint)] : []);
          throw error;
        }
      });
      if (!once.ran) {
        log.info('this No change was already recorded (a replay after a restart); not recorded again');
        return;
      }
      await respondWithReply(respond, once.value);
    } catch (error) {
      log.error({ err: error }, 'No change button failed');
      await respondSorry(respond, error, keptForReplay(inbox, error)).catch((e: unknown) => log.error({ err: e }, 'could not tell the user the button failed'));
    }
  };
}
