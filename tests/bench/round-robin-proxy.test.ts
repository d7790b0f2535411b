// The two-instances benchmark's load balancer (bench/suite/round-robin-proxy.ts): requests alternate
// between the targets, and each arrives byte for byte as sent — body, Slack's signature and timestamp
// — so the signature still verifies at the instance; the target's answer comes back unchanged.
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RoundRobinProxy, startRoundRobinProxy } from '../../bench/suite/round-robin-proxy.js';
import { signSlackRequest } from '../../src/platforms/slack/signing.js';

interface Received {
  target: string;
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const servers: Server[] = [];
let proxy: RoundRobinProxy | undefined;

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A target that records what reached it and answers with its name. */
async function target(name: string, received: Received[]): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ target: name, method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-instance': name });
      res.end(`answered by ${name}`);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function post(url: string, path: string, headers: Record<string, string | number>, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('round-robin loopback proxy', () => {
  it('alternates requests between the targets and passes body, signature headers and answer through unchanged', async () => {
    const received: Received[] = [];
    const a = await target('a', received);
    const b = await target('b', received);
    proxy = await startRoundRobinProxy([a, b]);

    const sent: { body: Buffer; headers: Record<string, string | number> }[] = [];
    const answers = [];
    for (let i = 0; i < 5; i += 1) {
      // Characters a re-encoding proxy would change: a plus, a percent escape, non-ASCII text.
      const body = Buffer.from(new URLSearchParams({ command: '/send', text: `who ND-1.${i} + “ümlaut” 100%`, response_url: `http://127.0.0.1:1/response/r${i}` }).toString());
      const timestamp = 1_700_000_000 + i;
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': body.length,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signSlackRequest('proxy-test-secret', timestamp, body.toString('utf8')),
      };
      sent.push({ body, headers });
      answers.push(await post(proxy.url, '/slack/events?x=1', headers, body));
    }

    expect(received.map((r) => r.target)).toEqual(['a', 'b', 'a', 'b', 'a']);
    expect(proxy.counts).toEqual([3, 2]);
    for (const [i, r] of received.entries()) {
      const s = sent[i] as (typeof sent)[number];
      expect(r.method).toBe('POST');
      expect(r.url).toBe('/slack/events?x=1');
      expect(r.body.equals(s.body)).toBe(true);
      expect(r.headers['x-slack-signature']).toBe(s.headers['x-slack-signature']);
      expect(r.headers['x-slack-request-timestamp']).toBe(s.headers['x-slack-request-timestamp']);
      expect(r.headers['content-type']).toBe(s.headers['content-type']);
      expect(r.headers['content-length']).toBe(String(s.body.length));
      // Still verifies at the instance: the signature over what arrived is the one that was sent.
      expect(signSlackRequest('proxy-test-secret', Number(r.headers['x-slack-request-timestamp']), r.body.toString('utf8'))).toBe(r.headers['x-slack-signature']);
    }
    expect(answers.map((x) => [x.status, x.body, x.headers['x-instance']])).toEqual([
      [200, 'answered by a', 'a'],
      [200, 'answered by b', 'b'],
      [200, 'answered by a', 'a'],
      [200, 'answered by b', 'b'],
      [200, 'answered by a', 'a'],
    ]);
    expect(proxy.upstreamErrors).toBe(0);
  });

  it('answers 502 for a target that cannot be reached, and keeps sending the others to the live one', async () => {
    const received: Received[] = [];
    const live = await target('live', received);
    // A port that was free a moment ago: nothing listens there now.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', () => resolve()));
    const deadUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    proxy = await startRoundRobinProxy([live, deadUrl]);

    const body = Buffer.from('command=%2Fsend&text=who');
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await post(proxy.url, '/slack/events', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length }, body)).status);

    expect(statuses).toEqual([200, 502, 200, 502]);
    expect(received).toHaveLength(2);
    expect(proxy.upstreamErrors).toBe(2);
  });

  it('refuses to start without a target, with an example', async () => {
    await expect(startRoundRobinProxy([])).rejects.toThrow('startRoundRobinProxy needs at least one target, e.g. ["http://127.0.0.1:3001"]');
  });
});
