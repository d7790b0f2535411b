// Sending a neutral Reply into a Teams conversation as Adaptive Cards, one message per card (a long
// digest is several). Rendering — escaping, splitting under Teams' size limit, the update form — is
// render/adaptive-card.ts's job; this only wraps each card as a message activity.
import type { Activity, TurnContext } from 'botbuilder';
import {
  type AdaptiveCard,
  type RenderCardsOptions,
  renderCards,
  renderUpdateFormCard,
  toCardAttachment,
  type UpdateFormOptions,
} from '../../render/adaptive-card.js';
import type { Reply, UpdateFormRequest } from '../../render/reply.js';

/**
 * A message carrying one card. `summary` is what Teams shows in notifications and where the card
 * cannot be rendered; it is plain text and never carries mention entities.
 */
export function cardActivity(card: AdaptiveCard, summary: string): Partial<Activity> {
  return { type: 'message', summary: Array.from(summary).slice(0, 300).join(''), attachments: [toCardAttachment(card)] };
}

/** Every card of the reply, in order, into the turn's conversation. */
export async function sendReply(context: TurnContext, answer: Reply, options: RenderCardsOptions = {}): Promise<void> {
  for (const card of renderCards(answer, options)) await context.sendActivity(cardActivity(card, answer.summary));
}

/** The update form on its own card, with field errors and the values submitted last time. */
export async function sendUpdateForm(context: TurnContext, form: UpdateFormRequest, options: UpdateFormOptions = {}): Promise<void> {
  const summary = options.errors ? 'Please check the update form.' : 'Update an action';
  await context.sendActivity(cardActivity(renderUpdateFormCard(form, options), summary));
}
