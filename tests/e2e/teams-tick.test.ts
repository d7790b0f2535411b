// `sendbot tick` with Teams configured (here the local-testing switch): after Morgan installed the
// app (a conversationUpdate through the real bot, in an earlier process), the CLI's tick delivers
// Morgan's nudge proactively through Teams and prints everyone else's to the console.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runCli } from '../../src/cli/program.js';
import '../../src/cli/all-commands.js';
import { createHttpServer } from '../../src/http/http-server.js';
import { createTeamsBot, mountTeamsMessages } from '../../src/platforms/teams/teams-app.js';
import { listOutbox } from '../../src/store/outbox-repository.js';
import { type BotConnectorServer, startBotConnectorServer } from '../helpers/bot-connector-server.js';
import { DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import { conversationUpdate, postActivity } from '../helpers/teams-activities.js';
import { closeTestDb, run, sql, testDbAt } from '../helpers/test-db.js';

const MORGAN = { id: '29:demo-03', aadObjectId: 'aad-demo-03', name: 'Morgan Demo' };

async function cli(env: Record<string, string>, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env });
  return { code, stdout, stderr };
}

describe('sendbot tick with Teams configured', () => {
  let connector: BotConnectorServer;
  beforeAll(async () => {
    connector = await startBotConnectorServer();
  });
  afterAll(async () => {
    await connector.close();
  });

  it('delivers the nudge of a person who last used Teams through Teams, and prints none of the rest as if delivered', async () => {
    const { db, path } = await demoPlanDb();
    const http = createHttpServer({ db, logger: pino({ level: 'silent' }) });
    mountTeamsMessages(http, createTeamsBot({ db, clock: fixedClock('2024-11-18T10:00'), config: { appType: 'MultiTenant', allowUnauthenticated: true }, logger: pino({ level: 'silent' }) }));
    const { url } = await http.listen(0, '127.0.0.1');
    expect((await postActivity(url, conversationUpdate({ serviceUrl: connector.url, user: MORGAN }))).status).toBe(200);
    await run(db, sql`update people set last_platform = 'teams' where email = ${DEMO.headOfSend}`);
    await http.close();
    await closeTestDb(db);
    connector.reset();

    const result = await cli({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' }, '--db', path, '--now', '2024-11-20T09:05', 'tick');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Teams authentication is off');
    // Those Teams cannot reach are left undelivered (see the outbox), not printed on the operator's terminal and marked sent.
    expect(result.stdout).toMatch(/Delivered 1 message through Teams\. \d+ messages not delivered \(see sendbot outbox\)\./);
    expect(result.stdout).not.toContain('sendbot → ');
    const posted = connector.requests.filter((r) => r.route === 'sendToConversation');
    expect(posted.length).toBeGreaterThanOrEqual(1);
    expect(posted.every((r) => r.conversationId === 'a:1personal-aad-demo-03' && r.status === 201)).toBe(true);

    const check = await testDbAt(path);
    try {
      const rows = await listOutbox(check);
      expect(rows.filter((r) => r.platform === 'teams')).toMatchObject([{ kind: 'nudge', status: 'sent', recipientEmail: DEMO.headOfSend }]);
      expect(rows.filter((r) => r.status === 'sent' && r.platform !== 'teams')).toEqual([]);
    } finally {
      await closeTestDb(check);
    }
  });

  it('refuses to deliver with a half-configured Teams, naming the setting', async () => {
    const { db, path } = await demoPlanDb();
    await closeTestDb(db);
    const result = await cli({ MicrosoftAppPassword: 'secret' }, '--db', path, '--now', '2024-11-20T09:05', 'tick');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MicrosoftAppId');
  });
});
