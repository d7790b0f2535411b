// What a Teams message says to sendbot, as command text. Pure: no I/O.
//
// In a personal chat every message is for the bot. In a channel or group chat Teams delivers the
// message only because the bot was @mentioned, and the text carries the mention as
// `<at>sendbot</at>` (with a trailing newline for messages typed in a channel); both are removed so
// "@sendbot update ND-1.1 amber …" reads as "update ND-1.1 amber …". A leading "/send" is left for
// the command router, which accepts it or not.
import { type Activity, TurnContext } from 'botbuilder';

/** 'personal', 'channel' or 'groupChat'; Teams always says, other channels may only set isGroup. */
export function conversationScope(activity: Partial<Pick<Activity, 'conversation'>>): 'personal' | 'channel' | 'groupChat' {
  const type = activity.conversation?.conversationType;
  if (type === 'channel' || type === 'groupChat' || type === 'personal') return type;
  return activity.conversation?.isGroup ? 'groupChat' : 'personal';
}

const LEADING_AT_TAG = /^\s*<at>[^<]*<\/at>/i;

/** Teams' non-breaking spaces (typed after a mention, or as &nbsp;) read as ordinary spaces. */
function normaliseSpaces(text: string): string {
  return text.replace(/&nbsp;/gi, ' ').replace(/\u00A0/g, ' ');
}

/**
 * The command text of a message, or undefined when the message is not addressed to the bot (a
 * channel or group chat message without an @mention of it). An empty string means "addressed to the
 * bot but says nothing", which the router answers with help.
 */
export function readCommandText(activity: Partial<Pick<Activity, 'text' | 'entities' | 'recipient' | 'conversation'>>): string | undefined {
  let text = normaliseSpaces(activity.text ?? '');
  const mentions = TurnContext.getMentions(activity as Activity).filter((m) => typeof m.text === 'string' && m.text !== '');
  const botId = activity.recipient?.id;
  const botMentions = mentions.filter((m) => botId !== undefined && m.mentioned?.id === botId).map((m) => m.text as string);
  // A payload without mention entities at all (some clients, forwarded messages) still shows the
  // mention as a leading <at>…</at>; with entities, only one naming the bot counts.
  const untaggedLead = mentions.length === 0 && LEADING_AT_TAG.test(text);
  if (conversationScope(activity) !== 'personal' && botMentions.length === 0 && !untaggedLead) return undefined;
  for (const mention of botMentions) text = text.split(mention).join('');
  if (untaggedLead) text = text.replace(LEADING_AT_TAG, '');
  return text.trim();
}
