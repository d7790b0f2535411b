// Messages: typed commands (personal chat, or @mentioning the bot in a channel or group chat) and
// card submits. Identify the caller, keep the conversation reference fresh, note that they last used
// Teams (so nudges reach them here), dispatch to the command layer, answer with cards.
import type { TurnContext } from 'botbuilder';
import { noteLastPlatform } from '../../../commands/identity.js';
import { runCommandText } from '../../../commands/router.js';
import { readCardSubmit } from '../../../render/adaptive-card.js';
import { reply } from '../../../render/reply.js';
import type { TeamsHandlerDeps } from '../handler-deps.js';
import { readCommandText } from '../message-text.js';
import { replyForConversation } from '../private-replies.js';
import { sendReply } from '../teams-replies.js';
import { resolveTeamsCaller } from '../teams-identity.js';
import { rememberConversation } from '../teams-references.js';
import { handleCardSubmit, sendOutcome } from './card-submit.js';

export function messageHandler(deps: TeamsHandlerDeps) {
  return async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
    const activity = context.activity;
    const log = deps.logger.child({ handler: 'message', teamsUserId: activity.from?.id, conversationId: activity.conversation?.id });
    const hasValue = typeof activity.value === 'object' && activity.value !== null;
    const submit = hasValue ? readCardSubmit(activity.value) : undefined;

    if (hasValue && !submit && !activity.text?.trim()) {
      // Another app's card, or a damaged payload.
      await rememberConversation(deps, activity);
      log.warn({ valueKeys: Object.keys(activity.value as object).slice(0, 20) }, 'unrecognised card submit');
      await sendReply(context, reply('error', 'That button is not one I recognise. Nothing was changed.'));
      await next();
      return;
    }
    const typed = submit ? undefined : readCommandText(activity);
    if (!submit && typed === undefined) {
      // Channel or group chat talk that does not mention the bot: keep the reference, say nothing.
      await rememberConversation(deps, activity);
      await next();
      return;
    }

    const caller = await resolveTeamsCaller(deps.db, context, log, deps.clock);
    await rememberConversation(deps, activity, caller.person?.id);
    if (!caller.person) {
      await sendReply(context, caller.reply);
      await next();
      return;
    }
    await noteLastPlatform(deps.db, caller.person, 'teams');
    if (submit) await sendOutcome(context, await handleCardSubmit(deps, context, caller.person, submit, log));
    else {
      const commandDeps = { db: deps.db, clock: deps.clock, ...(deps.dashboard ? { dashboard: deps.dashboard } : {}), ...(deps.policy ? { policy: deps.policy } : {}), ...(activity.from?.id ? { platformUserId: activity.from.id } : {}) };
      const answer = await runCommandText(commandDeps, caller.person, 'teams', typed ?? '');
      await sendReply(context, replyForConversation(answer, activity.conversation?.conversationType));
    }
    await next();
  };
}
