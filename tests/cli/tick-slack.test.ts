import { afterEach, describe, expect, it } from 'vitest';
import { sendbotWithEnv } from '../helpers/cli.js';
import { DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import { closeTestDb, rows, run, sql, testDbAt } from '../helpers/test-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';

let slack: SlackApiServer | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

describe('sendbot tick with Slack configured', () => {
  it('delivers due nudges through Slack as direct messages, so an operator can run a tick by hand', async () => {
    slack = await startSlackApiServer();
    const { db, path } = await demoPlanDb('2024-11-01T09:00');
    await closeTestDb(db);
    const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl };
    const result = await sendbotWithEnv(env, path, '--now', '2024-11-20T09:05', 'tick');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Delivered \d+ messages? through Slack\./);
    // Morgan (Head of SEND, Slack U0DEMO03) gets exactly one window nudge as a DM (posted to the user id).
    const posts = slack.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body).includes('nudge:') && JSON.stringify(c.body).includes(`"channel":"U0DEMO03"`));
    expect(posts).toHaveLength(1);
    expect(slack.callsTo('conversations.open')).toHaveLength(0);
    expect(JSON.stringify(posts[0]?.body)).toContain('SEND Partnership Board');
    // Nothing is printed instead of sent: a person Slack cannot reach is not "delivered" to the operator's terminal.
    expect(result.stdout).not.toContain('to the console');
    // Running the tick again sends nothing new.
    const again = await sendbotWithEnv(env, path, '--now', '2024-11-20T09:10', 'tick');
    expect(again.stdout).toContain('Enqueued 0 new messages;');
    expect(slack.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body).includes('nudge:') && JSON.stringify(c.body).includes(`"channel":"U0DEMO03"`))).toHaveLength(1);
  });

  it('reaches a person known by email only, and leaves one Slack does not know undelivered instead of printing it', async () => {
    // Morgan has no Slack id in sendbot but is in the workspace by email; Priya is in neither.
    slack = await startSlackApiServer({ users: [{ id: 'U0MORGAN9', email: DEMO.headOfSend }] });
    const { db, path } = await demoPlanDb('2024-11-01T09:00');
    await run(db, sql`update people set slack_user_id = null where email in (${DEMO.headOfSend}, ${DEMO.headOfCommissioning})`);
    await closeTestDb(db);
    const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl };
    const result = await sendbotWithEnv(env, path, '--now', '2024-11-20T09:05', 'tick');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Delivered \d+ messages? through Slack\. \d+ messages? not delivered \(see sendbot outbox\)\./);
    const toMorgan = slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'U0MORGAN9');
    expect(toMorgan.length).toBeGreaterThan(0);
    const check = await testDbAt(path);
    const priya = await rows<{ status: string }>(check, sql`select o.status from outbox o join people p on p.id = o.recipient_person_id where p.email = ${DEMO.headOfCommissioning}`);
    await closeTestDb(check);
    expect(priya.length).toBeGreaterThan(0);
    expect(priya.filter((r) => r.status === 'sent')).toEqual([]);
  });
});
