// The process's one HTTP server: /healthz, routes other platforms add, errors, slow and greedy
// clients, and a taken port.
// Also how the Slack app starts: Socket Mode without a server, and a clear error for a bad token.
import type { ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer, PortInUseError } from '../../src/http/http-server.js';
import { createLogger } from '../../src/logger.js';
import { createSlackApp, SlackStartError } from '../../src/platforms/slack/slack-app.js';
import { startSlackApiServer } from '../helpers/slack-api-server.js';
import { closeTestDb, testDb, type Db } from '../helpers/test-db.js';

const logger = createLogger('silent');

describe('HTTP server', () => {
  const servers: HttpServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });
  const start = async (given?: Db) => {
    const db = given ?? (await testDb());
    const http = createHttpServer({ db, logger });
    servers.push(http);
    const { url, port } = await http.listen(0, '127.0.0.1');
    return { http, url, port, db };
  };

  it('answers GET /healthz after querying the database, and 503 when it cannot', async () => {
    const { url, db } = await start();
    const ok = await fetch(`${url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, db: 'ok' });
    await closeTestDb(db);
    // One probe's answer is reused for a second (a flood of /healthz is not a flood of writes).
    await new Promise((r) => setTimeout(r, 1_100));
    const down = await fetch(`${url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, db: 'error', reason: expect.stringContaining('cannot be written') });
  });

  it('serves routes other platforms add, and says 404 / 405 for the rest', async () => {
    const { http, url } = await start();
    http.addRoute('POST', '/api/messages', (req, res) => {
      req.resume();
      res.writeHead(202).end();
    });
    expect((await fetch(`${url}/api/messages`, { method: 'POST', body: '{}' })).status).toBe(202);
    const wrongMethod = await fetch(`${url}/api/messages`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
  });

  it('turns a throwing or rejecting handler into a 500', async () => {
    const { http, url } = await start();
    http.addRoute('GET', '/boom', () => {
      throw new Error('boom');
    });
    http.addRoute('GET', '/later', async () => {
      throw new Error('later');
    });
    expect((await fetch(`${url}/boom`)).status).toBe(500);
    expect((await fetch(`${url}/later`)).status).toBe(500);
  });

  it('has limits for slow clients by default: 5 s for headers, 10 s for a request, 5 s keep-alive', async () => {
    const { http } = await start();
    expect(http.server.headersTimeout).toBe(5_000);
    expect(http.server.requestTimeout).toBe(10_000);
    expect(http.server.keepAliveTimeout).toBe(5_000);
  });

  it('cuts off slow clients (slowloris headers, a silent connection, a dribbled body) with 408, serving others meanwhile', async () => {
    const http = createHttpServer({ db: await testDb(), logger, limits: { headersTimeoutMs: 600, requestTimeoutMs: 900, checkIntervalMs: 100 } });
    servers.push(http);
    http.addRoute('POST', '/slack/events', (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    const { port, url } = await http.listen(0, '127.0.0.1');
    const slow = (label: string, feed: (socket: Socket) => NodeJS.Timeout | undefined) =>
      new Promise<{ label: string; ms: number; answer: string }>((resolve) => {
        const started = performance.now();
        const socket = connect(port, '127.0.0.1');
        let answer = '';
        let timer: NodeJS.Timeout | undefined;
        socket.on('connect', () => {
          timer = feed(socket);
        });
        socket.on('data', (d) => {
          answer += d.toString();
        });
        socket.on('error', () => {});
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ label, ms: performance.now() - started, answer: answer.split('\r\n')[0] ?? '' });
        });
      });
    const trickle = (socket: Socket, text: string) => setInterval(() => socket.writable && socket.write(text), 150);
    const results = Promise.all([
      slow('headers one line at a time', (s) => {
        s.write('POST /slack/events HTTP/1.1\r\nHost: x\r\n');
        return trickle(s, 'X-Slow: y\r\n');
      }),
      slow('nothing at all', () => undefined),
      slow('a body one byte at a time', (s) => {
        s.write('POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
        return trickle(s, 'a');
      }),
    ]);
    // Others are served while those hang on.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const cut = await results;
    for (const r of cut) {
      expect(r.answer, r.label).toBe('HTTP/1.1 408 Request Timeout');
      // Generous: the limit plus node's check interval, on a loaded machine.
      expect(r.ms, r.label).toBeLessThan(10_000);
    }
  });

  it('at maxConnections, closes the oldest silent connection for a newcomer, and refuses only when all are busy', async () => {
    const http = createHttpServer({ db: await testDb(), logger, limits: { maxConnections: 2 } });
    servers.push(http);
    const pending: ServerResponse[] = [];
    http.addRoute('GET', '/hang', (_req, res) => {
      pending.push(res);
    });
    const { port, url } = await http.listen(0, '127.0.0.1');
    const open = () =>
      new Promise<Socket>((resolve) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', () => {});
      });
    const closed = (s: Socket) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
    const silent = [await open(), await open()];
    await new Promise((r) => setTimeout(r, 50));
    // Both slots hold silent sockets: the newcomer is served and the oldest silent one closed.
    expect((await fetch(`${url}/healthz`, { headers: { connection: 'close' } })).status).toBe(200);
    await closed(silent[0] as Socket);
    for (const s of silent) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    // Both slots busy with requests: nothing to evict, so the newcomer is refused.
    const busy = [await open(), await open()];
    for (const s of busy) s.write('GET /hang HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    const refused = await fetch(`${url}/healthz`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(refused).toBe('refused');
    for (const res of pending) res.end();
    for (const s of busy) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('refuses a port that is taken, with a message saying what to do', async () => {
    const { port } = await start();
    const second = createHttpServer({ db: await testDb(), logger });
    const error = await second.listen(port, '127.0.0.1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toBe(`Port ${port} is already in use. Stop the other process using it, or set PORT to a free port.`);
  });
});

describe('createSlackApp', () => {
  it('uses Socket Mode when an app token is set, with no HTTP route to mount', async () => {
    const api = await startSlackApiServer();
    try {
      const slack = await createSlackApp({
        db: await testDb(),
        clock: fixedClock('2024-11-18T10:00'),
        config: { botToken: 'xoxb-x', appToken: 'xapp-1-test', apiUrl: api.apiUrl },
        logger,
      });
      expect(slack.mode).toBe('socket');
      expect(slack.route).toBeUndefined();
      // One auth.test, which also names the installation the workspace guard checks against.
      expect(api.callsTo('auth.test')).toHaveLength(1);
      expect(slack.installation).toEqual({ teamId: 'T0SEND', teamName: 'SEND test', isEnterpriseInstall: false });
    } finally {
      await api.close();
    }
  });

  it('fails with a message naming SLACK_BOT_TOKEN when Slack rejects the token', async () => {
    const api = await startSlackApiServer({ token: 'xoxb-right' });
    try {
      const error = await createSlackApp({
        db: await testDb(),
        clock: fixedClock('2024-11-18T10:00'),
        config: { botToken: 'xoxb-wrong', signingSecret: 's', apiUrl: api.apiUrl },
        logger,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SlackStartError);
      expect((error as Error).message).toContain('SLACK_BOT_TOKEN (invalid_auth)');
    } finally {
      await api.close();
    }
  });
});
