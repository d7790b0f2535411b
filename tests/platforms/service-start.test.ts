// npm start with chat credentials loads each platform only when it is configured; a platform that
// refuses its settings still stops the start with a message naming what to fix.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { tempDir } from '../helpers/temp.js';

const root = join(import.meta.dirname, '..', '..');

function startService(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(tempDir(), 'sendbot.db'), PORT: '0', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('npm start with Slack configured', () => {
  let slack: SlackApiServer;
  beforeAll(async () => {
    slack = await startSlackApiServer({ token: 'xoxb-the-real-one' });
  });
  afterAll(async () => {
    await slack.close();
  });

  it('stops with exit 1 and names the setting when Slack refuses the bot token', async () => {
    const result = await startService({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sendbot cannot start: Slack did not accept SLACK_BOT_TOKEN (invalid_auth)');
    expect(slack.callsTo('auth.test').length).toBeGreaterThan(0);
  });
});
