// The bot: a TeamsActivityHandler whose handlers each live in their own file (handlers/) and only
// translate between Teams and the command layer. Every handler ends with `await next()`, so the
// handler chain keeps running for anything registered after it.
import { type InvokeResponse, TeamsActivityHandler, type TurnContext } from 'botbuilder';
import type { TeamsHandlerDeps } from './handler-deps.js';
import { CARD_ACTION_INVOKE, cardActionHandler, unknownInvokeResponse } from './handlers/card-action.js';
import { membersAddedHandler, membersRemovedHandler } from './handlers/conversation-update.js';
import { installationAddHandler, installationRemoveHandler } from './handlers/installation-update.js';
import { messageHandler } from './handlers/message.js';
import { channelDeletedHandler, teamDeletedHandler } from './handlers/team-events.js';

export class SendbotTeamsBot extends TeamsActivityHandler {
  private readonly cardAction: (context: TurnContext) => Promise<InvokeResponse>;

  constructor(deps: TeamsHandlerDeps) {
    super();
    this.cardAction = cardActionHandler(deps);
    this.onMessage(messageHandler(deps));
    this.onMembersAdded(membersAddedHandler(deps));
    this.onMembersRemoved(membersRemovedHandler(deps));
    this.onInstallationUpdateAdd(installationAddHandler(deps));
    this.onInstallationUpdateRemove(installationRemoveHandler(deps));
    this.onTeamsTeamDeletedEvent(teamDeletedHandler(deps));
    this.onTeamsChannelDeletedEvent(channelDeletedHandler(deps));
  }

  /**
   * Every invoke: Universal Actions (adaptiveCard/action) are answered with a card; anything else
   * (botbuilder would answer 501, or 400 for Action.Submit data) gets 200 and a plain message.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === CARD_ACTION_INVOKE) return this.cardAction(context);
    return unknownInvokeResponse();
  }
}
