// Activity → stored conversation reference. Channel messages arrive on a thread conversation
// ("19:…@thread.tacv2;messageid=…"); the reference is stored under the channel id without the thread
// suffix, so a proactive message starts a new post in the channel, and `teams:<that id>` is what a
// board's teams_channel names. The activity id is left out: a proactive message replies to nothing.
import { type Activity, teamsGetTeamId, teamsGetTenant, TurnContext } from 'botbuilder';
import { toStoredInstant } from '../../clock.js';
import {
  type ConversationReferenceInput,
  type ConversationReferenceRow,
  type ConversationType,
  disableConversationReference,
  disableTeamReferences,
  type StoredConversationReference,
  upsertConversationReference,
} from '../../store/conversation-references-repository.js';
import type { TeamsHandlerDeps } from './handler-deps.js';
import { conversationScope } from './message-text.js';

/** The channel (or chat) a conversation id belongs to, without the ";messageid=…" of a thread. */
export function baseConversationId(conversationId: string): string {
  const cut = conversationId.indexOf(';');
  return cut < 0 ? conversationId : conversationId.slice(0, cut);
}

/** The outbox address of a channel or group chat conversation: `teams:<conversation id>`. */
export const teamsChannelAddress = (conversationId: string): string => `teams:${baseConversationId(conversationId)}`;

/** What to store for this activity's conversation; undefined when the activity lacks the basics. */
export function referenceInput(activity: Activity, personId: number | null | undefined, at: string): ConversationReferenceInput | undefined {
  const conversationId = activity.conversation?.id;
  if (!conversationId || !activity.serviceUrl || !activity.recipient?.id) return undefined;
  const type: ConversationType = conversationScope(activity);
  const id = type === 'personal' ? conversationId : baseConversationId(conversationId);
  const tenantId = activity.conversation.tenantId ?? teamsGetTenant(activity)?.id ?? undefined;
  const teamId = type === 'channel' ? (teamsGetTeamId(activity) ?? undefined) : undefined;
  const full = TurnContext.getConversationReference(activity);
  const reference: StoredConversationReference = {
    channelId: full.channelId ?? activity.channelId,
    serviceUrl: activity.serviceUrl,
    ...(full.locale ? { locale: full.locale } : {}),
    conversation: {
      id,
      conversationType: type,
      ...(tenantId ? { tenantId } : {}),
      ...(activity.conversation.isGroup !== undefined ? { isGroup: activity.conversation.isGroup } : {}),
    },
    bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) },
    ...(type === 'personal' && activity.from?.id
      ? { user: { id: activity.from.id, ...(activity.from.name ? { name: activity.from.name } : {}), ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}) } }
      : {}),
    ...(teamId ? { teamId } : {}),
  };
  return {
    conversationId: id,
    conversationType: type,
    personId: type === 'personal' ? (personId ?? null) : null,
    teamsUserId: type === 'personal' ? (activity.from?.id ?? null) : null,
    serviceUrl: activity.serviceUrl,
    tenantId: tenantId ?? null,
    reference,
    at,
  };
}

/** Stores (and re-enables) the reference for the activity's conversation. */
export async function rememberConversation(deps: TeamsHandlerDeps, activity: Activity, personId?: number | null): Promise<ConversationReferenceRow | undefined> {
  const input = referenceInput(activity, personId, toStoredInstant(deps.clock.now()));
  if (!input) {
    deps.logger.warn({ activityType: activity.type }, 'Teams activity without conversation, serviceUrl or recipient: reference not stored');
    return undefined;
  }
  return await upsertConversationReference(deps.db, input);
}

/**
 * Disables the reference(s) of the activity's conversation: in a team, every channel of that team
 * (the bot left the team); elsewhere, the one chat.
 */
export async function forgetConversation(deps: TeamsHandlerDeps, activity: Activity, reason: string): Promise<number> {
  const conversationId = activity.conversation?.id;
  if (!conversationId) return 0;
  const at = toStoredInstant(deps.clock.now());
  if (conversationScope(activity) === 'channel') {
    const teamId = teamsGetTeamId(activity) ?? baseConversationId(conversationId);
    return await disableTeamReferences(deps.db, teamId, reason, at);
  }
  return await disableConversationReference(deps.db, conversationId, reason, at) ? 1 : 0;
}
