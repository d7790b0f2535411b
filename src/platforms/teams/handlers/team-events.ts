// A team deleted, or one of its channels deleted: the references there can never be used again.
import type { ChannelInfo, TeamInfo, TurnContext } from 'botbuilder';
import { toStoredInstant } from '../../../clock.js';
import { disableConversationReference, disableTeamReferences } from '../../../store/conversation-references-repository.js';
import type { TeamsHandlerDeps } from '../handler-deps.js';

export function teamDeletedHandler(deps: TeamsHandlerDeps) {
  return async (teamInfo: TeamInfo, _context: TurnContext, next: () => Promise<void>): Promise<void> => {
    if (teamInfo?.id) await disableTeamReferences(deps.db, teamInfo.id, 'the team was deleted', toStoredInstant(deps.clock.now()));
    await next();
  };
}

export function channelDeletedHandler(deps: TeamsHandlerDeps) {
  return async (channelInfo: ChannelInfo, _teamInfo: TeamInfo, _context: TurnContext, next: () => Promise<void>): Promise<void> => {
    if (channelInfo?.id) await disableConversationReference(deps.db, channelInfo.id, 'the channel was deleted', toStoredInstant(deps.clock.now()));
    await next();
  };
}
