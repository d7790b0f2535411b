// A click sendbot has no listener for: a button on an old message whose action_id a later version
// dropped, or another app's element in a message sendbot can see. Acknowledged at once (Slack shows
// an error after 3 s without one, and Bolt would answer 404), then the person is told plainly that the
// button no longer does anything: in the conversation through response_url when Slack gave one,
// otherwise (a click in App Home) in a direct message.
import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import { reply } from '../../../../render/reply.js';
import { afterAck } from '../../after-ack.js';
import type { SlackListenerDeps } from '../../listener-deps.js';
import { respondWithReply } from '../../slack-replies.js';

export const RETIRED_BUTTON_TEXT = 'That button no longer does anything, so nothing was changed. Type /send help to see what sendbot can do.';

export function retiredButtonListener(deps: SlackListenerDeps) {
  return async ({ ack, body, respond, client, action }: SlackActionMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await afterAck();
    const actionId = 'action_id' in action ? String(action.action_id) : 'callback_id' in action ? String(action.callback_id) : 'unknown';
    const log = deps.logger.child({ listener: 'retired-button', slackUserId: body.user.id, actionId: actionId.slice(0, 80) });
    log.info('click on an element sendbot has no listener for');
    try {
      if ('response_url' in body && typeof body.response_url === 'string' && body.response_url) {
        await respondWithReply(respond, reply('info', RETIRED_BUTTON_TEXT));
      } else {
        await client.chat.postMessage({ channel: body.user.id, text: RETIRED_BUTTON_TEXT });
      }
    } catch (error) {
      log.warn({ err: error }, 'could not tell the person the button no longer works');
    }
  };
}
