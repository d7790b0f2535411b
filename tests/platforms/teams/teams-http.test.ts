// The /api/messages route's HTTP handling, with the adapter's turn logic stubbed: what is refused
// before botbuilder runs anything.
import { afterEach, describe, expect, it } from 'vitest';
import { CloudAdapter } from 'botbuilder';
import { createHttpServer, type HttpServer } from '../../../src/http/http-server.js';
import { createLogger } from '../../../src/logger.js';
import { SendbotBotFrameworkAuthentication } from '../../../src/platforms/teams/teams-auth.js';
import { createMessagesHandler, MAX_ACTIVITY_BYTES, TEAMS_MESSAGES_PATH } from '../../../src/platforms/teams/teams-http.js';
import { personalMessage, postActivity } from '../../helpers/teams-activities.js';
import { testDb } from '../../helpers/test-db.js';

const logger = createLogger('silent');

describe('POST /api/messages', () => {
  const servers: HttpServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  async function start(authenticate: (activity: unknown, header: string) => Promise<unknown>, requireToken = false) {
    const turns: string[] = [];
    const adapter = new CloudAdapter(new SendbotBotFrameworkAuthentication({ appType: 'MultiTenant', allowUnauthenticated: true }));
    const http = createHttpServer({ db: await testDb(), logger });
    servers.push(http);
    http.addRoute(
      'POST',
      TEAMS_MESSAGES_PATH,
      createMessagesHandler({ adapter, requireToken, authenticate, run: async (context) => void turns.push(context.activity.type), logger }),
    );
    const { url } = await http.listen(0, '127.0.0.1');
    return { url, turns };
  }

  it('answers 401 and runs nothing when checking the token fails in any way (not only botbuilder’s AuthenticationError)', async () => {
    const { url, turns } = await start(async () => {
      throw new Error('request to https://login.botframework.com/v1/.well-known/openidconfiguration failed');
    });
    const res = await postActivity(url, personalMessage({ serviceUrl: 'http://127.0.0.1:9/', text: 'mine' }), { token: 'eyJ.forged.jwt' });
    expect(res.status).toBe(401);
    expect(res.body).toBeUndefined();
    expect(turns).toEqual([]);
  });

  it('runs the turn once the token checks out, and answers 200', async () => {
    const { url, turns } = await start(async () => ({}));
    const res = await postActivity(url, personalMessage({ serviceUrl: 'http://127.0.0.1:9/', text: 'mine' }));
    expect(res.status).toBe(200);
    expect(turns).toEqual(['message']);
  });

  it('with an app id, refuses a request without a bearer JWT before reading its body or checking anything', async () => {
    const checked: string[] = [];
    const { url, turns } = await start(async (_activity, header) => {
      checked.push(header);
      throw new Error('bad token');
    }, true);
    const huge = JSON.stringify({ type: 'message', text: 'x'.repeat(900_000) });
    for (const authorization of [undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-jwt', 'bearer a.b.c', 'Bearer a.b.c.d', 'Bearer a.b.c extra']) {
      const res = await fetch(`${url}${TEAMS_MESSAGES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) }, body: huge });
      expect(res.status, String(authorization)).toBe(401);
    }
    expect(checked).toEqual([]);
    // A JWT-shaped token is checked (and refused) by botbuilder's authentication.
    expect((await postActivity(url, personalMessage({ serviceUrl: 'http://127.0.0.1:9/', text: 'mine' }), { token: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln' })).status).toBe(401);
    expect(checked).toEqual(['Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln']);
    expect(turns).toEqual([]);
  });

  it('refuses a 1 MB body of nested brackets before parsing it (400), and accepts ordinary card data', async () => {
    const { url, turns } = await start(async () => ({}));
    const depth = 500_000;
    const started = performance.now();
    const nested = await fetch(`${url}${TEAMS_MESSAGES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"type":"message","value":${'['.repeat(depth)}${']'.repeat(depth)}}` });
    expect(nested.status).toBe(400);
    expect(await nested.text()).toBe('The activity nests more than 64 levels deep.');
    // Figures only: JSON.parse of this body took seconds before the check.
    console.info(`nested 1 MB activity refused in ${Math.round(performance.now() - started)} ms`);
    let value: unknown = { note: 'a "[[[[" in a string does not count' };
    for (let i = 0; i < 20; i += 1) value = { inner: [value] };
    const ok = await postActivity(url, { ...personalMessage({ serviceUrl: 'http://127.0.0.1:9/', text: 'mine' }), value } as never);
    expect(ok.status).toBe(200);
    expect(turns).toEqual(['message']);
  });

  it('refuses a body that is not an activity (400) or is far too large (413)', async () => {
    const { url, turns } = await start(async () => ({}));
    const post = (body: string) => fetch(`${url}${TEAMS_MESSAGES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post('not json')).status).toBe(400);
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post('{"text":"no type"}')).status).toBe(400);
    expect((await post(JSON.stringify({ type: 'message', text: 'x'.repeat(MAX_ACTIVITY_BYTES) }))).status).toBe(413);
    expect(turns).toEqual([]);
  });
});
