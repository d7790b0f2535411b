// Replies posted to a response_url: JSON as Slack expects it, over one kept-alive connection, and a
// refusal from Slack is an error the listener can log.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { respondFor, respondVia, ResponseUrlError } from '../../../src/platforms/slack/response-url.js';

describe('respondVia', () => {
  let server: Server;
  let base: string;
  let connections: number;
  const received: { path: string; type: string; body: unknown }[] = [];
  let status = 200;
  /** Cut off (without an answer) every request after the first on each connection, or every request. */
  let cutOff: 'none' | 'reused' | 'all' = 'none';

  beforeEach(async () => {
    connections = 0;
    received.length = 0;
    status = 200;
    cutOff = 'none';
    const served = new WeakSet<object>();
    server = createServer((req: IncomingMessage, res) => {
      // What a server closing an idle kept-alive connection looks like to a client that had just
      // written its next request on it: the connection is reset, the request never answered.
      if (cutOff === 'all' || (cutOff === 'reused' && served.has(req.socket))) {
        req.socket.destroy();
        return;
      }
      served.add(req.socket);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: String(req.headers['content-type']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'expired_url');
      });
    });
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts each message as JSON to the response_url, reusing one connection', async () => {
    const respond = respondVia(`${base}/response/abc`);
    for (const n of [1, 2, 3]) await respond({ response_type: 'ephemeral', replace_original: false, text: `answer ${n}` });
    expect(received).toEqual([1, 2, 3].map((n) => ({ path: '/response/abc', type: 'application/json', body: { response_type: 'ephemeral', replace_original: false, text: `answer ${n}` } })));
    expect(connections).toBe(1);
  });

  it('sends a reply again on a new connection when the kept-alive one was closed by the server meanwhile', async () => {
    const respond = respondVia(`${base}/response/later`);
    await respond({ text: 'first' });
    // The server drops the kept-alive connection as Slack's (or a proxy's) idle timeout would, the
    // moment the next reply arrives on it: the server never reads that request.
    const answer = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
    let dropNext = true;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!dropNext) return answer(req, res);
      dropNext = false;
      req.socket.destroy();
    });
    await respond({ text: 'second' });
    expect(received.map((r) => (r.body as { text: string }).text)).toEqual(['first', 'second']);
    expect(connections).toBe(2);
  });

  it('fails with the HTTP status when Slack refuses the reply', async () => {
    status = 404;
    const error = await respondVia(`${base}/response/old`)({ text: 'too late' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseUrlError);
    expect(error).toMatchObject({ status: 404, message: 'Slack refused the reply to the response_url (HTTP 404)' });
  });

  it('sends a reply again, once, on a connection of its own when the kept-alive one was closed under it', async () => {
    const respond = respondVia(`${base}/response/stale`);
    await respond({ text: 'first' });
    cutOff = 'reused';
    await respond({ text: 'second' });
    await respond({ text: 'third' });
    expect(received.map((r) => (r.body as { text: string }).text)).toEqual(['first', 'second', 'third']);
    // first + its reuse (cut off) + a new one for the retry; the pool may hand 'third' any of them.
    expect(connections).toBeGreaterThanOrEqual(2);
  });

  it('does not send again when a new connection is reset: that is a real failure, and is reported', async () => {
    cutOff = 'all';
    const error = await respondVia(`${base}/response/reset`)({ text: 'lost' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(received).toEqual([]);
    expect(connections).toBe(1);
  });

  it('uses Bolt’s respond when the request has no response_url of its own', async () => {
    const bolt = async () => 'bolt';
    expect(respondFor({}, bolt as never)).toBe(bolt);
    expect(respondFor({ response_url: `${base}/response/x` }, bolt as never)).not.toBe(bolt);
  });
});
