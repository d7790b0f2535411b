// The bot: a TeamsActivityHandler whose handlers each live in their own file (handlers/) and only
// translate between Teams and the command layer. Every handler ends with `await next()`, so the
// handler chain keeps running for anything registered after it.
import { TeamsActivityHandler } from 'botbuilder';
import type { TeamsHandlerDeps } from './handler-deps.js';
import { membersAddedHandler, membersRemovedHandler } from './handlers/conversation-update.js';
import { installationAddHandler, installationRemoveHandler } from './handlers/installation-update.js';
import { messageHandler } from './handlers/message.js';
import { channelDeletedHandler, teamDeletedHandler } from './handlers/team-events.js';

export class SendbotTeamsBot extends TeamsActivityHandler {
  constructor(deps: TeamsHandlerDeps) {
    super();
    this.onMessage(messageHandler(deps));
    this.onMembersAdded(membersAddedHandler(deps));
    this.onMembersRemoved(membersRemovedHandler(deps));
    this.onInstallationUpdateAdd(installationAddHandler(deps));
    this.onInstallationUpdateRemove(installationRemoveHandler(deps));
    this.onTeamsTeamDeletedEvent(teamDeletedHandler(deps));
    this.onTeamsChannelDeletedEvent(channelDeletedHandler(deps));
  }
}
