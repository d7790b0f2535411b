// The update modal's submission. Field problems go back to the modal (`response_action: errors`)
// and nothing is stored. A good submission goes through applyUpdate — the typed command's path —
// and only then is acknowledged, so a refusal from that path (not allowed to update this action,
// no such action) also shows in the modal instead of arriving after it closed. The write is one
// local SQLite transaction (milliseconds), well inside Slack's 3 seconds. The confirmation goes to
// the person's DM with the bot.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { noteLastPlatform } from '../../../../commands/identity.js';
import { PermissionError, UserError } from '../../../../commands/types.js';
import { applyUpdate } from '../../../../commands/update.js';
import { readModalValues, UPDATE_MODAL_BLOCKS, type ViewStateValues } from '../../../../render/block-kit.js';
import { failureText } from '../../../failure-text.js';
import { SORRY_TEXT, type SlackListenerDeps } from '../../listener-deps.js';
import { postReplyToUser } from '../../slack-replies.js';
import { resolveSlackCaller } from '../../slack-identity.js';
import { BLOCK_FOR_FIELD, checkUpdateModal } from '../../update-modal.js';

export function updateModalSubmissionListener(deps: SlackListenerDeps) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const userId = body.user.id;
    const log = deps.logger.child({ listener: 'update-modal-submission', slackUserId: userId });
    let acknowledged = false;
    const ackErrors = async (errors: Record<string, string>): Promise<void> => {
      acknowledged = true;
      await ack({ response_action: 'errors', errors });
    };
    try {
      const caller = await resolveSlackCaller(deps.db, client, userId, log, deps.clock);
      if (!caller.person) {
        await ackErrors({ [UPDATE_MODAL_BLOCKS.action]: caller.reply.summary });
        return;
      }
      const check = checkUpdateModal(readModalValues(view.state.values as ViewStateValues));
      if (!check.ok) {
        await ackErrors(check.errors);
        return;
      }
      const ctx = { db: deps.db, clock: deps.clock, caller: caller.person, platform: 'slack' as const, rawText: check.rawText, platformUserId: userId };
      let answer;
      try {
        answer = await applyUpdate(ctx, check.input);
      } catch (error) {
        if (error instanceof PermissionError || error instanceof UserError) {
          const where = (error instanceof UserError && error.field && BLOCK_FOR_FIELD[error.field]) || UPDATE_MODAL_BLOCKS.action;
          const hint = error instanceof UserError && error.hint ? ` ${error.hint}` : '';
          await ackErrors({ [where]: `${error.message}${hint}` });
          return;
        }
        throw error;
      }
      acknowledged = true;
      await ack();
      await noteLastPlatform(deps.db, caller.person, 'slack');
      await postReplyToUser(client, userId, answer).catch((error: unknown) => {
        // The update is stored; only the confirmation failed to arrive.
        log.warn({ err: error, ref: check.input.ref }, 'update stored but the confirmation DM failed');
      });
    } catch (error) {
      log.error({ err: error }, 'update modal submission failed');
      const sorry = failureText(error, SORRY_TEXT);
      if (!acknowledged) await ackErrors({ [UPDATE_MODAL_BLOCKS.action]: sorry }).catch(() => {});
      else await client.chat.postMessage({ channel: userId, text: sorry }).catch(() => {});
    }
  };
}
