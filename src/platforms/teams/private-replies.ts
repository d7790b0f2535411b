// Teams has no "only visible to you" message (Slack's ephemeral reply). A reply the command layer
// marks private and that carries links (a signed dashboard link opens without signing in) must not
// be posted into a channel or group chat, where everyone in it could open it.
import { type Reply, reply, text } from '../../render/reply.js';

/** The reply to send in a conversation of this type: private links only in a personal (1:1) chat. */
export function replyForConversation(answer: Reply, conversationType: string | undefined): Reply {
  const isPersonal = conversationType === undefined || conversationType === 'personal';
  if (isPersonal || answer.private !== true || !answer.links?.length) return answer;
  return reply('info', 'I’ll only send that link in a 1:1 chat.', [
    text('Everyone in this conversation could open it. Open a chat with sendbot and ask there.'),
  ]);
}
