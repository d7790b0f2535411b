// The "Update" button on a nudge (value = action ref): opens the update modal prefilled with that
// action, after the same checks as typing `/send update <ref>`.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noteLastPlatform } from '../../../../commands/identity.js';
import { runCommandText } from '../../../../commands/router.js';
import type { SlackListenerDeps } from '../../listener-deps.js';
import { respondSorry, respondWithReply } from '../../slack-replies.js';
import { resolveSlackCaller } from '../../slack-identity.js';
import { openUpdateModal } from '../../update-modal.js';

export function updateButtonListener(deps: SlackListenerDeps) {
  return async ({ ack, body, action, respond, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const ref = action.value ?? '';
    const log = deps.logger.child({ listener: 'update-button', slackUserId: body.user.id, ref });
    try {
      const caller = await resolveSlackCaller(deps.db, client, body.user.id, log, deps.clock);
      if (!caller.person) {
        await respondWithReply(respond, caller.reply);
        return;
      }
      await noteLastPlatform(deps.db, caller.person, 'slack');
      // The typed path checks the ref and the caller's right to update it, and returns the form.
      const answer = await runCommandText({ db: deps.db, clock: deps.clock, platformUserId: body.user.id }, caller.person, 'slack', `/send update ${ref}`);
      if (!answer.form) {
        await respondWithReply(respond, answer);
        return;
      }
      await openUpdateModal(client, deps.db, body.trigger_id, answer.form, { ...(body.channel?.id ? { channel: body.channel.id } : {}) });
    } catch (error) {
      log.error({ err: error }, 'Update button failed');
      await respondSorry(respond, error).catch((e: unknown) => log.error({ err: e }, 'could not tell the user the button failed'));
    }
  };
}
