// conversationUpdate: the bot added to (or removed from) a personal chat, a team or a group chat.
// Added: store the conversation reference (linked to the person in a personal chat) and say hello
// in a personal chat. Removed: disable the reference, so the outbox stops trying to send there.
// People joining or leaving a team are not sendbot's business.
import type { TurnContext } from 'botbuilder';
import type { PlanExamples } from '../../../domain/plan-examples.js';
import { reply, text } from '../../../render/reply.js';
import { loadPlanExamples } from '../../../store/plan-examples-repository.js';
import type { TeamsHandlerDeps } from '../handler-deps.js';
import { conversationScope } from '../message-text.js';
import { sendReply } from '../teams-replies.js';
import { resolveTeamsCaller } from '../teams-identity.js';
import { forgetConversation, rememberConversation } from '../teams-references.js';

const includesBot = (context: TurnContext, members: { id?: string }[] | undefined): boolean =>
  Boolean(members?.some((member) => member.id !== undefined && member.id === context.activity.recipient?.id));

export const welcomeReply = (ex: PlanExamples) =>
  reply('info', 'Hello, I’m sendbot.', [
    text('I keep the SEND improvement plan moving: before each board meets I’ll send you the actions that need an update, and you can answer here.'),
    // An example only where the newcomer may update that action; otherwise help is the way in.
    text(ex.updateRefs[0] ? `Type help to see what I can do, or for example: update ${ex.updateRefs[0]} amber 60% pilot extended` : 'Type help to see what I can do.', true),
  ]);

/**
 * Stores the reference for a conversation the bot has just joined. In a personal chat the person is
 * identified (by Teams id, else by roster email) so nudges can find them; an unknown person is
 * stored by Teams id only and linked when they first write.
 */
export async function rememberInstall(deps: TeamsHandlerDeps, context: TurnContext): Promise<number | undefined> {
  let personId: number | undefined;
  if (conversationScope(context.activity) === 'personal') {
    const log = deps.logger.child({ handler: 'install', teamsUserId: context.activity.from?.id });
    personId = (await resolveTeamsCaller(deps.db, context, log, deps.clock)).person?.id;
  }
  const row = await rememberConversation(deps, context.activity, personId);
  deps.logger.info({ conversationId: row?.conversationId, conversationType: row?.conversationType, personId: row?.personId }, 'Teams: sendbot installed in a conversation');
  return personId;
}

export function membersAddedHandler(deps: TeamsHandlerDeps) {
  return async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
    if (includesBot(context, context.activity.membersAdded)) {
      const personId = await rememberInstall(deps, context);
      if (conversationScope(context.activity) === 'personal') {
        await sendReply(context, welcomeReply(await loadPlanExamples(deps.db, deps.clock.now().toISODate() as string, personId)));
      }
    }
    await next();
  };
}

export function membersRemovedHandler(deps: TeamsHandlerDeps) {
  return async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
    if (includesBot(context, context.activity.membersRemoved)) {
      const disabled = await forgetConversation(deps, context.activity, 'sendbot was removed from the conversation');
      deps.logger.info({ conversationId: context.activity.conversation?.id, disabled }, 'Teams: sendbot removed from a conversation');
    }
    await next();
  };
}
