// installationUpdate: the app installed ('add', 'add-upgrade') or uninstalled ('remove',
// 'remove-upgrade') in a scope. Install stores the reference; uninstall disables it, so nudges stop
// going to a conversation the bot can no longer post in instead of failing forever.
import type { TurnContext } from 'botbuilder';
import type { TeamsHandlerDeps } from '../handler-deps.js';
import { forgetConversation } from '../teams-references.js';
import { rememberInstall } from './conversation-update.js';

export function installationAddHandler(deps: TeamsHandlerDeps) {
  return async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
    await rememberInstall(deps, context);
    await next();
  };
}

export function installationRemoveHandler(deps: TeamsHandlerDeps) {
  return async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
    const disabled = await forgetConversation(deps, context.activity, `the app was uninstalled (${context.activity.action ?? 'remove'})`);
    deps.logger.info({ conversationId: context.activity.conversation?.id, disabled }, 'Teams: sendbot uninstalled from a conversation');
    await next();
  };
}
