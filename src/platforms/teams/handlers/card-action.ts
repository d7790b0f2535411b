// Universal Actions: a button (Action.Execute) on one of sendbot's cards arrives as an invoke named
// `adaptiveCard/action`, and the bot answers in the HTTP response with the card that replaces the one
// pressed — so a nudge's buttons update the nudge in place ("Updated by Sam Lead, 10:42"). An invoke
// carrying Action.Submit data (Teams sends that for some older cards) is read the same way. Anything
// sendbot does not know gets 200 and a plain message, never an error status.
//
// Built by hand rather than with botbuilder's onAdaptiveCardInvoke, which refuses Action.Submit data
// with 400 NotSupported; botbuilder is kept to the adapter.
import type { InvokeResponse, TurnContext } from 'botbuilder';
import { LONDON } from '../../../clock.js';
import { noteLastPlatform } from '../../../commands/identity.js';
import { type AdaptiveCard, ADAPTIVE_CARD_CONTENT_TYPE, readCardSubmit, renderCards, renderUpdateFormCard, withFootnote } from '../../../render/adaptive-card.js';
import type { Reply } from '../../../render/reply.js';
import type { TeamsHandlerDeps } from '../handler-deps.js';
import { cardActivity } from '../teams-replies.js';
import { resolveTeamsCaller } from '../teams-identity.js';
import { rememberConversation } from '../teams-references.js';
import { type CardOutcome, handleCardSubmit } from './card-submit.js';

export const CARD_ACTION_INVOKE = 'adaptiveCard/action';
const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';

/** The invoke answered with a card that replaces the one pressed. */
export function cardResponse(card: AdaptiveCard): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card } };
}

/** The invoke answered with a short message; the card pressed stays as it was. */
export function messageResponse(text: string): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: MESSAGE_RESPONSE, value: text } };
}

export const NO_LONGER_WORKS = 'That button no longer does anything. Nothing was changed; type "help" to see what I can do.';

/** Any invoke sendbot does not handle (a message extension, a task module, another app's card). */
export function unknownInvokeResponse(): InvokeResponse {
  return messageResponse('That is not something sendbot can do. Nothing was changed; type "help" to see what I can do.');
}

interface ExecuteValue {
  action?: { type?: unknown; verb?: unknown; data?: unknown };
}

/** The card that replaces the pressed one: the answer, and who pressed it when ("Updated by …, 10:42"). */
async function outcomeCard(context: TurnContext, outcome: CardOutcome, footer: string): Promise<AdaptiveCard> {
  if (outcome.kind === 'form') return renderUpdateFormCard(outcome.form, outcome.options);
  const cards = renderCards(outcome.reply);
  // A long answer (rare for a button): all but the last part go as messages, the last replaces the card.
  for (const card of cards.slice(0, -1)) await context.sendActivity(cardActivity(card, outcome.reply.summary));
  return withFootnote(cards[cards.length - 1] as AdaptiveCard, footer);
}

export function cardActionHandler(deps: TeamsHandlerDeps) {
  return async (context: TurnContext): Promise<InvokeResponse> => {
    const activity = context.activity;
    const log = deps.logger.child({ handler: 'card-action', teamsUserId: activity.from?.id, conversationId: activity.conversation?.id });
    const value = (typeof activity.value === 'object' && activity.value !== null ? activity.value : {}) as ExecuteValue;
    const submit = readCardSubmit(value.action?.data);
    if (!submit) {
      await rememberConversation(deps, activity);
      log.warn({ verb: typeof value.action?.verb === 'string' ? value.action.verb.slice(0, 60) : undefined }, 'unrecognised card action');
      return messageResponse(NO_LONGER_WORKS);
    }
    const caller = await resolveTeamsCaller(deps.db, context, log, deps.clock);
    await rememberConversation(deps, activity, caller.person?.id);
    if (!caller.person) return cardResponse(firstCard(caller.reply));
    await noteLastPlatform(deps.db, caller.person, 'teams');
    const outcome = await handleCardSubmit(deps, context, caller.person, submit, log);
    const at = deps.clock.now().setZone(LONDON).toFormat('HH:mm');
    const footer = outcome.kind === 'reply' && outcome.changed ? `Updated by ${caller.person.name}, ${at}` : `Answered for ${caller.person.name}, ${at}`;
    return cardResponse(await outcomeCard(context, outcome, footer));
  };
}

function firstCard(answer: Reply): AdaptiveCard {
  return renderCards(answer)[0] as AdaptiveCard;
}
