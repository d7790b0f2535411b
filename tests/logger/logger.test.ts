// What reaches the logs: never what a person wrote, even when code logs an object that holds it.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
  return { logger, text: () => lines.join('\n'), json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('censors free-text fields wherever they are in a logged object', () => {
    const { logger, text } = capture();
    logger.warn({ text: 'child 943 476 5919', note: 'secret note', command: { text: 'update ND-1.1 nested' }, value: { note: 'card' }, rawText: 'raw', token: 'xoxb-1' }, 'something');
    // The line without its timestamp, whose digits could hold "943" by chance.
    const logged = text().replace(/"time":\d+/g, '"time":0');
    expect(logged).not.toMatch(/943 476|secret note|nested|card|"raw"|xoxb/);
    expect(logged).toContain('[redacted]');
  });

  it('logs an error as name, message, code, Slack error and stack — not the request it carried', () => {
    const { logger, json } = capture();
    const error = Object.assign(new Error('Request failed with status code 500'), {
      code: 'ERR_BAD_RESPONSE',
      config: { data: '{"text":"Update recorded: child seen at home"}' },
      data: { ok: false, error: 'invalid_blocks' },
      request: { path: '/response/abc' },
    });
    logger.error({ err: error, listener: 'send-command' }, 'failed');
    const [line] = json();
    expect(line?.err).toMatchObject({ type: 'Error', message: 'Request failed with status code 500', code: 'ERR_BAD_RESPONSE', slackError: 'invalid_blocks' });
    expect(JSON.stringify(line)).not.toContain('child seen at home');
    expect(JSON.stringify(line)).not.toContain('/response/abc');
  });
});
