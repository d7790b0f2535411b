// Registers every Slack listener on the app. Each callback lives in its own file and only translates
// between Slack and the command layer.
import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION_IDS, UPDATE_MODAL_CALLBACK_ID } from '../../../render/block-kit.js';
import type { SlackListenerDeps } from '../listener-deps.js';
import { linkButtonListener } from './actions/link-button.js';
import { noChangeButtonListener } from './actions/no-change-button.js';
import { replyButtonListener } from './actions/reply-button.js';
import { updateButtonListener } from './actions/update-button.js';
import { sendCommandListener } from './commands/send-command.js';
import { appHomeOpenedListener } from './events/app-home-opened.js';
import { updateModalSubmissionListener } from './views/update-modal-submission.js';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function registerListeners(app: App, deps: SlackListenerDeps): void {
  app.command('/send', sendCommandListener(deps));

  // Nudge buttons, and the same buttons when a command reply carries them.
  const update = updateButtonListener(deps);
  const noChange = noChangeButtonListener(deps);
  app.action<BlockButtonAction>(ACTION_IDS.update, update);
  app.action<BlockButtonAction>(`${ACTION_IDS.buttonPrefix}update`, update);
  app.action<BlockButtonAction>(ACTION_IDS.noChange, noChange);
  app.action<BlockButtonAction>(`${ACTION_IDS.buttonPrefix}no_change`, noChange);
  // Bolt runs every matching listener, so this one leaves out the ids handled above.
  app.action<BlockButtonAction>(new RegExp(`^${escapeRegExp(ACTION_IDS.buttonPrefix)}(?!update$|no_change$)`), replyButtonListener(deps));

  app.action<BlockButtonAction>(new RegExp(`^${escapeRegExp(ACTION_IDS.linkPrefix)}`), linkButtonListener());

  app.view({ type: 'view_submission', callback_id: UPDATE_MODAL_CALLBACK_ID }, updateModalSubmissionListener(deps));
  app.event('app_home_opened', appHomeOpenedListener(deps));

  // Anything a listener did not catch (a bug in middleware, a rejected ack): log it with context.
  app.error(async (error) => {
    deps.logger.error({ err: error, component: 'slack' }, 'unhandled Slack error');
  });
}
