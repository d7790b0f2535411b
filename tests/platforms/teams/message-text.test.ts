import { describe, expect, it } from 'vitest';
import { conversationScope, readCommandText } from '../../../src/platforms/teams/message-text.js';
import { channelMessage, groupChatMessage, personalMessage } from '../../helpers/teams-activities.js';

const serviceUrl = 'http://127.0.0.1:1/';

describe('readCommandText', () => {
  it('takes a personal message as it is, trimmed', () => {
    expect(readCommandText(personalMessage({ serviceUrl, text: '  update ND-1.1 amber note \n' }))).toBe('update ND-1.1 amber note');
    expect(readCommandText(personalMessage({ serviceUrl, text: '/send who ND-1.1' }))).toBe('/send who ND-1.1');
  });

  it('strips the bot mention and the trailing newline Teams adds in a channel', () => {
    const activity = channelMessage({ serviceUrl, text: 'update ND-1.1 amber Waiting on the contract' });
    expect(activity.text).toBe('<at>sendbot</at> update ND-1.1 amber Waiting on the contract\n');
    expect(readCommandText(activity)).toBe('update ND-1.1 amber Waiting on the contract');
    expect(readCommandText(groupChatMessage({ serviceUrl, text: '/send mine' }))).toBe('/send mine');
  });

  it('leaves the activity itself unchanged', () => {
    const activity = channelMessage({ serviceUrl, text: 'help' });
    readCommandText(activity);
    expect(activity.text).toBe('<at>sendbot</at> help\n');
  });

  it('ignores channel and group chat messages that do not mention the bot', () => {
    expect(readCommandText(channelMessage({ serviceUrl, text: 'update ND-1.1 red', mention: false }))).toBeUndefined();
    expect(readCommandText(groupChatMessage({ serviceUrl, text: 'who ND-1.1', mention: false }))).toBeUndefined();
  });

  it('ignores a mention of someone else; reads a leading <at> tag when the payload has no mention entities', () => {
    const other = channelMessage(
      { serviceUrl, text: 'x', mention: false },
      { text: '<at>Sam Lee</at> can you update ND-1.1?', entities: [{ type: 'mention', text: '<at>Sam Lee</at>', mentioned: { id: '29:sam', name: 'Sam Lee' } }] },
    );
    expect(readCommandText(other)).toBeUndefined();
    const untagged = channelMessage({ serviceUrl, text: 'x', mention: false }, { text: '<at>SEND bot</at> who ND-1.1\n', entities: [] });
    expect(readCommandText(untagged)).toBe('who ND-1.1');
    const both = channelMessage(
      { serviceUrl, text: 'x' },
      {
        text: '<at>Sam Lee</at> <at>sendbot</at> who ND-1.1',
        entities: [
          { type: 'mention', text: '<at>Sam Lee</at>', mentioned: { id: '29:sam', name: 'Sam Lee' } },
          { type: 'mention', text: '<at>sendbot</at>', mentioned: { id: '28:bot-id', name: 'sendbot' } },
        ],
      },
    );
    expect(readCommandText(both)).toBe('<at>Sam Lee</at>  who ND-1.1');
  });

  it('turns Teams non-breaking spaces into spaces; a bare mention is an empty command (help)', () => {
    expect(readCommandText(channelMessage({ serviceUrl, text: 'x' }, { text: '<at>sendbot</at>&nbsp;who\u00A0ND-1.1' }))).toBe('who ND-1.1');
    expect(readCommandText(channelMessage({ serviceUrl, text: '' }))).toBe('');
  });
});

describe('conversationScope', () => {
  it('reads Teams conversation types, falling back on isGroup', () => {
    expect(conversationScope(personalMessage({ serviceUrl, text: '' }))).toBe('personal');
    expect(conversationScope(channelMessage({ serviceUrl, text: '' }))).toBe('channel');
    expect(conversationScope(groupChatMessage({ serviceUrl, text: '' }))).toBe('groupChat');
    expect(conversationScope({ conversation: { id: 'x', isGroup: true, name: '', conversationType: '' } })).toBe('groupChat');
    expect(conversationScope({ conversation: { id: 'x', isGroup: false, name: '', conversationType: '' } })).toBe('personal');
  });
});
