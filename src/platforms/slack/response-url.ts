// Answering through a request's response_url with node:http(s) over kept-alive connections.
//
// Bolt's respond() posts with the global fetch, which on Node 20 costs about three times the CPU of
// a plain http.request per reply (WHATWG streams, Request/Response objects), leaves the response
// unread (so the connection is not reused), and all of it runs on the event loop that acknowledges
// Slack's next requests. The same POST, as Bolt makes it: JSON, a 10-second timeout, and an error
// when Slack does not answer 2xx (an expired response_url, say).
//
// One difference: a reply written on a kept-alive connection that the other end had just closed (it
// closes idle connections after a few seconds; when our event loop is busy we may not have read
// that close yet when we reuse the socket) fails with ECONNRESET before any answer. The other end
// closed before reading it, so it is sent once more on a connection of its own — Node's documented
// remedy (`request.reusedSocket`) — instead of becoming a "Sorry, that failed" for a command that
// worked. (Should the other end have taken it after all, the person sees the reply twice: better
// than being told their recorded update failed, and sending it again.)
import { type ClientRequest, Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RespondArguments, RespondFn } from '@slack/bolt';
import { SLACK_REQUEST_TIMEOUT_MS } from './slack-client-options.js';

/** What the listeners answer with: Bolt's respond, or one from respondVia. */
export type Respond = (message: RespondArguments) => Promise<unknown>;

// One pool per process: replies to hooks.slack.com reuse their TLS connections.
const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

export class ResponseUrlError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ResponseUrlError';
  }
}

/** A respond function posting to `responseUrl`. */
export function respondVia(responseUrl: string): Respond {
  return (message) => postJson(new URL(responseUrl), JSON.stringify(message));
}

/** The request's own response_url when it has one, else Bolt's respond (which knows the other shapes). */
export function respondFor(body: { response_url?: unknown }, boltRespond: RespondFn): Respond {
  return typeof body.response_url === 'string' && body.response_url !== '' ? respondVia(body.response_url) : boltRespond;
}

/**
 * True when `error` says a request on a reused kept-alive connection was cut off before any answer
 * came: the server had closed that idle connection as we wrote on it, so it never took the request.
 */
function lostOnStaleConnection(req: ClientRequest, answered: boolean, error: unknown): boolean {
  return req.reusedSocket && !answered && (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET';
}

function postJson(url: URL, json: string, retried = false): Promise<void> {
  const protocol = url.protocol === 'https:' ? 'https:' : url.protocol === 'http:' ? 'http:' : undefined;
  if (!protocol) return Promise.reject(new ResponseUrlError(`response_url must be http or https, not ${url.protocol}`));
  const send = protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = send(
      url,
      {
        method: 'POST',
        // The retry takes a connection of its own: the pool may hold more that were closed under it.
        agent: retried ? false : agents[protocol],
        timeout: SLACK_REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) },
      },
      (res: IncomingMessage) => {
        answered = true;
        // Read to the end, so the connection goes back to the pool.
        res.resume();
        res.once('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new ResponseUrlError(`Slack refused the reply to the response_url (HTTP ${status})`, status));
        });
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new ResponseUrlError(`no answer from the response_url in ${SLACK_REQUEST_TIMEOUT_MS / 1000} s`)));
    req.once('error', (error) => {
      // Once only: a second reset on a new connection is a real failure.
      if (!retried && lostOnStaleConnection(req, answered, error)) resolve(postJson(url, json, true));
      else reject(error);
    });
    req.end(json);
  });
}
