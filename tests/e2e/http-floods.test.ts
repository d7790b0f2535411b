// The open server under floods, over real HTTP with the real Bolt app mounted: hundreds of silent
// TCP connections (held by this test from other loopback addresses, reopened as the server closes
// them), and 200 concurrent requests for the public page. Throughout, /healthz and signed Slack
// slash commands from 127.0.0.1 must be answered. No timings are asserted: what is asserted is that
// every probe and acknowledgement was answered, how the floods were answered, and that the server
// (not the test) closed the silent connections.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { DashboardLinkSettings } from '../../src/commands/types.js';
import { mountDashboardRoutes } from '../../src/http/dashboard-routes.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/slack-app.js';
import type { Db } from '../../src/store/database.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { postSlashCommand } from '../helpers/slack-requests.js';
import { closeTestDb, one, run, sql } from '../helpers/test-db.js';

const SIGNING = 'flood-e2e-signing-secret';
const NOW = '2024-11-27T09:00';
const MORGAN = 'U0DEMO03';

let api: SlackApiServer;
let db: Db;
let http: HttpServer;
let slack: SlackApp;
let baseUrl: string;
let port: number;
const links: DashboardLinkSettings = { baseUrl: null, secret: 'flood-e2e-dashboard-secret-0123456789', linkDays: 7 };

beforeAll(async () => {
  api = await startSlackApiServer({ token: 'xoxb-flood' });
  ({ db } = await demoPlanDb());
  const logger = pino({ level: 'silent' });
  const clock = fixedClock(NOW);
  // The production limits, except a total cap low enough that this test reaches it with a few
  // hundred sockets (the default is 4000).
  http = createHttpServer({ db, logger, limits: { maxConnections: 300 } });
  mountDashboardRoutes(http, { db, clock, secret: links.secret, publishedView: true, logger });
  slack = await createSlackApp({ db, clock, config: { botToken: 'xoxb-flood', signingSecret: SIGNING, apiUrl: api.apiUrl }, logger, dashboard: links });
  await slack.start(http);
  ({ url: baseUrl, port } = await http.listen(0, '127.0.0.1'));
});
afterAll(async () => {
  await slack?.stop();
  await http?.close();
  await api?.close();
  if (db) await closeTestDb(db);
});

/** GET on a fresh connection from `localAddress` (another loopback address is another client). */
function get(path: string, localAddress = '127.0.0.1', headers: Record<string, string> = {}, toPort = port): Promise<{ status: number; body: string; retryAfter?: string }> {
  return new Promise((resolve) => {
    const r = request({ host: '127.0.0.1', port: toPort, path, agent: false, localAddress, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ...(res.headers['retry-after'] ? { retryAfter: String(res.headers['retry-after']) } : {}) }));
    });
    r.on('error', (e) => resolve({ status: 0, body: String(e) }));
    r.end();
  });
}

/** Keeps `perAddress` silent connections open from each address, reopening each as the server closes it. */
function holdSilentConnections(addresses: string[], perAddress: number) {
  const open = new Set<Socket>();
  let closedByServer = 0;
  let opened = 0;
  let stopping = false;
  const openOne = (localAddress: string): void => {
    if (stopping) return;
    opened += 1;
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    open.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      open.delete(socket);
      if (stopping) return;
      closedByServer += 1;
      // Reopened at once, as an attacker would (on the next turn, so a refusal does not spin).
      setImmediate(() => openOne(localAddress));
    });
  };
  for (const address of addresses) for (let i = 0; i < perAddress; i += 1) openOne(address);
  return {
    stats: () => ({ open: open.size, opened, closedByServer }),
    stop(): void {
      stopping = true;
      for (const s of open) s.destroy();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('silent connections', () => {
  it('cannot take the service offline: /healthz and Slack acknowledgements answer while 480 idle sockets are held and reopened', async () => {
    // 8 addresses × 50 (under the per-address cap of 64, over the total of 300 together) and one
    // greedy address × 80 (over the per-address cap: its own oldest silent sockets make room).
    const many = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
    const flood = holdSilentConnections(many, 50);
    const greedy = holdSilentConnections(['127.0.0.20'], 80);
    await sleep(300);
    const healthz: number[] = [];
    const acks: number[] = [];
    api.reset();
    // Long enough for the 2 s first-byte limit to close the first wave and the reopened ones to arrive.
    for (let round = 0; round < 12; round += 1) {
      const [h, ack] = await Promise.all([get('/healthz'), postSlashCommand(baseUrl, SIGNING, { text: 'help', user_id: MORGAN, response_url: api.responseUrl() })]);
      healthz.push(h.status);
      acks.push(ack.status);
      await sleep(400);
    }
    const counts = http.connections();
    const floodStats = flood.stats();
    const greedyStats = greedy.stats();
    flood.stop();
    greedy.stop();

    expect(healthz).toEqual(Array(12).fill(200));
    expect(acks).toEqual(Array(12).fill(200));
    // Every acknowledged command was answered through its response_url too.
    expect((await api.waitForCalls('response_url', 12, 10_000)).length).toBeGreaterThanOrEqual(12);
    // The server closed silent sockets (first-byte limit and eviction), the greedy address's own among them.
    expect(floodStats.closedByServer).toBeGreaterThan(0);
    expect(counts.evicted).toBeGreaterThan(0);
    expect(counts.evictedPerClient).toBeGreaterThanOrEqual(16);
    expect(greedyStats.closedByServer).toBeGreaterThanOrEqual(16);
    expect(counts.open).toBeLessThanOrEqual(300 + 2);
  });

  it('answers /healthz and Slack from an address that itself holds 200 silent sockets (its cap is 64)', async () => {
    // The same address as the probes: at its cap, its oldest silent connection makes room for them.
    const flood = holdSilentConnections(['127.0.0.1'], 200);
    await sleep(300);
    const healthz: number[] = [];
    const acks: number[] = [];
    api.reset();
    const before = http.connections().evictedPerClient;
    for (let round = 0; round < 23; round += 1) {
      const [h, ack] = await Promise.all([get('/healthz'), postSlashCommand(baseUrl, SIGNING, { text: 'help', user_id: MORGAN, response_url: api.responseUrl() })]);
      healthz.push(h.status);
      acks.push(ack.status);
      await sleep(100);
    }
    const counts = http.connections();
    const stats = flood.stats();
    flood.stop();
    expect(healthz).toEqual(Array(23).fill(200));
    expect(acks).toEqual(Array(23).fill(200));
    expect(counts.evictedPerClient - before).toBeGreaterThanOrEqual(23);
    expect(stats.closedByServer).toBeGreaterThanOrEqual(136);
    await sleep(100);
  });

  it('never closes a connection that is mid-request to make room: at the cap with all busy, the newcomer is refused', async () => {
    const from = '127.0.0.40';
    const body = 'token=x&command=%2Fplan&text=help';
    const timestamp = Math.floor(Date.now() / 1000);
    const busy = await Promise.all(
      Array.from(
        { length: 64 },
        () =>
          new Promise<{ socket: Socket; received: () => string; closed: Promise<void> }>((resolve) => {
            const socket = connect({ host: '127.0.0.1', port, localAddress: from });
            let received = '';
            socket.on('data', (c) => {
              received += String(c);
            });
            socket.on('error', () => {});
            const closed = new Promise<void>((done) => socket.on('close', () => done()));
            socket.on('connect', () => {
              // Headers and the start of the body: a request in progress, waiting for the rest.
              socket.write(
                `POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n` +
                  `X-Slack-Request-Timestamp: ${timestamp}\r\nX-Slack-Signature: v0=${'0'.repeat(64)}\r\n\r\n${body.slice(0, 5)}`,
              );
              resolve({ socket, received: () => received, closed });
            });
          }),
      ),
    );
    await sleep(300);
    const refusedBefore = http.connections().refusedPerClient;
    const newcomer = await get('/healthz', from);
    expect(newcomer.status).toBe(0);
    expect(http.connections().refusedPerClient).toBe(refusedBefore + 1);
    // Every request in progress is still open, and is answered when its body arrives (401: the signature is not Slack's).
    for (const b of busy) b.socket.write(body.slice(5));
    await Promise.all(busy.map((b) => b.socket.end() && b.closed));
    expect(busy.map((b) => b.received().split('\r\n')[0])).toEqual(Array(64).fill('HTTP/1.1 401 Unauthorized'));
  });

  it('closes a connection that sends nothing, and serves one that sends its request', async () => {
    const outcome = await new Promise<{ closedByServer: boolean; received: string }>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.30' });
      let received = '';
      socket.on('data', (c) => {
        received += String(c);
      });
      const guard = setTimeout(() => {
        socket.destroy();
        resolve({ closedByServer: false, received });
      }, 15_000);
      socket.on('close', () => {
        clearTimeout(guard);
        resolve({ closedByServer: true, received });
      });
    });
    expect(outcome).toEqual({ closedByServer: true, received: '' });
    expect((await get('/healthz', '127.0.0.30')).status).toBe(200);
  });
});

describe('the public page under a flood', () => {
  it('answers 200 concurrent /published requests with 200 or 429 while Slack acknowledgements are answered', async () => {
    api.reset();
    const addresses = Array.from({ length: 10 }, (_, i) => `127.0.1.${i + 1}`);
    const pages = Promise.all(Array.from({ length: 200 }, (_, i) => get(i % 2 === 0 ? '/published' : '/published/hcp', addresses[i % addresses.length])));
    const acks = Promise.all(Array.from({ length: 10 }, () => postSlashCommand(baseUrl, SIGNING, { text: 'help', user_id: MORGAN, response_url: api.responseUrl() })));
    const [pageResults, ackResults] = await Promise.all([pages, acks]);
    expect(ackResults.map((a) => a.status)).toEqual(Array(10).fill(200));
    const statuses = new Set(pageResults.map((p) => p.status));
    expect([...statuses].filter((s) => s !== 200 && s !== 429)).toEqual([]);
    // 20 a client at once: 10 clients × 20 answered, the rest told to wait.
    expect(pageResults.filter((p) => p.status === 200).length).toBe(200);
    expect(pageResults.find((p) => p.status === 200 && p.body.includes('HCP: Healthy Child Programme'))).toBeDefined();
  });

  it('tells one client that asks too often to wait (429 with Retry-After), and others are still served', async () => {
    const results = [];
    for (let i = 0; i < 25; i += 1) results.push(await get('/published', '127.0.2.1'));
    expect(results.slice(0, 20).every((r) => r.status === 200)).toBe(true);
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(Number(refused[0]?.retryAfter)).toBeGreaterThan(0);
    expect(refused[0]?.body).toContain('Too many requests');
    expect((await get('/published', '127.0.2.2')).status).toBe(200);
  });

  it('shows a change to the plan at once (the cache follows the data)', async () => {
    const before = await get('/published/hcp', '127.0.3.1');
    expect(before.body).not.toContain('Renamed by the flood test');
    const action = await one(db, sql`select a.id from actions a join workstreams w on w.id = a.workstream_id join plans p on p.id = w.plan_id where p.code = 'HCP' limit 1`) as { id: number };
    await run(db, sql`update actions set text = 'Renamed by the flood test' where id = ${action.id}`);
    const after = await get('/published/hcp', '127.0.3.1');
    expect(after.body).toContain('Renamed by the flood test');
  });

  it('never echoes a made-up plan code: the page lists the real plans', async () => {
    const typed = '‮evil-text<b>';
    const res = await get(`/published/${encodeURIComponent(typed)}`, '127.0.4.1');
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('evil');
    expect(res.body).not.toContain('‮');
    expect(res.body).toContain('There is no such plan here');
    expect(res.body).toContain('HCP (Healthy Child Programme');
  });
});

describe('behind a trusted reverse proxy', () => {
  it('limits each client named in X-Forwarded-For by the proxy, and ignores the header from anyone else', async () => {
    const logger = pino({ level: 'silent' });
    const proxy = '127.0.5.1';
    const behind = createHttpServer({ db, logger, limits: { trustedProxies: [proxy] } });
    mountDashboardRoutes(behind, { db, clock: fixedClock(NOW), secret: links.secret, publishedView: true, logger, trustedProxies: [proxy] });
    const { port: proxied } = await behind.listen(0, '127.0.0.1');
    try {
      const via = (client: string, from = proxy) => get('/published', from, { 'x-forwarded-for': `203.0.113.9, ${client}` }, proxied);
      const first = [];
      for (let i = 0; i < 21; i += 1) first.push((await via('198.51.100.1')).status);
      expect(first.slice(0, 20)).toEqual(Array(20).fill(200));
      expect(first[20]).toBe(429);
      // Another client through the same proxy is not held back by the first.
      expect((await via('198.51.100.2')).status).toBe(200);
      // Not from the proxy: the header is ignored, so changing it does not escape the limit.
      const direct = [];
      for (let i = 0; i < 21; i += 1) direct.push((await via(`198.51.100.${i + 10}`, '127.0.5.2')).status);
      expect(direct[20]).toBe(429);
    } finally {
      await behind.close();
    }
  });
});
