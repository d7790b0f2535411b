// Registers every Slack listener on the app. Each callback lives in its own file and only translates
// between Slack and the command layer.
import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ACTION_IDS, UPDATE_MODAL_CALLBACK_ID } from '../../../render/block-kit.js';
import type { SlackListenerDeps } from '../listener-deps.js';
import { linkButtonListener } from './actions/link-button.js';
import { noChangeButtonListener } from './actions/no-change-button.js';
import { replyButtonListener } from './actions/reply-button.js';
import { retiredButtonListener } from './actions/retired-button.js';
import { updateButtonListener } from './actions/update-button.js';
import { sendCommandListener } from './commands/send-command.js';
import { appHomeOpenedListener } from './events/app-home-opened.js';
import { updateModalSubmissionListener } from './views/update-modal-submission.js';

type ButtonListener = (args: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => Promise<void>;

export function registerListeners(app: App, deps: SlackListenerDeps): void {
  app.command('/send', sendCommandListener(deps));

  // Every button, through one Bolt listener that picks by action_id: Bolt runs each registered
  // listener's matchers on every request (each slash command too), so six action listeners cost
  // each /send about 30 µs and 6 kB of garbage before it could even be acknowledged.
  const update = updateButtonListener(deps);
  const noChange = noChangeButtonListener(deps);
  const replyButton = replyButtonListener(deps);
  const link = linkButtonListener();
  const byId = new Map<string, ButtonListener>([
    // Nudge buttons, and the same buttons when a command reply carries them.
    [ACTION_IDS.update, update],
    [`${ACTION_IDS.buttonPrefix}update`, update],
    [ACTION_IDS.noChange, noChange],
    [`${ACTION_IDS.buttonPrefix}no_change`, noChange],
  ]);
  const buttonFor = (id: string): ButtonListener | undefined =>
    byId.get(id) ?? (id.startsWith(ACTION_IDS.buttonPrefix) ? replyButton : id.startsWith(ACTION_IDS.linkPrefix) ? link : undefined);
  // Every other click (an old message's button, another app's element) is acknowledged at once and
  // answered plainly, never left for Slack to time out.
  const retired = retiredButtonListener(deps);
  app.action(/[\s\S]*/, async (args) => {
    const id = 'action_id' in args.action ? args.action.action_id : undefined;
    const listener = args.action.type === 'button' && id !== undefined ? buttonFor(id) : undefined;
    if (listener) await listener(args as unknown as SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs);
    else await retired(args);
  });

  app.view({ type: 'view_submission', callback_id: UPDATE_MODAL_CALLBACK_ID }, updateModalSubmissionListener(deps));
  app.event('app_home_opened', appHomeOpenedListener(deps));

  // Anything a listener did not catch (a bug in middleware, a rejected ack): log it with context.
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled Slack error');
  });
}
