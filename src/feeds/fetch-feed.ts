// Downloads a committee calendar feed (ModernGov and most council committee systems publish one per
// committee). Plain node:http/https so the limits are ours: a time limit for the whole download, a
// size cap checked while reading (never buffering more), a few redirects, http(s) only (webcal://
// is the same feed over https). Every failure is a FeedFetchError with a sentence an officer can act on.

import http from 'node:http';
import https from 'node:https';

/** A feed bigger than this is not a board's calendar (20,000 events is about 6 MB). */
export const MAX_FEED_BYTES = 10 * 1024 * 1024;
const TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 5;

export class FeedFetchError extends Error {}

export interface FetchFeedOptions {
  /** Extra certificate authorities to trust (PEM), e.g. a council's own; tests use a throwaway one. */
  ca?: string | Buffer;
  timeoutMs?: number;
  maxBytes?: number;
}

/** True for an address `boards import` should download rather than open as a file. */
export function isFeedUrl(value: string): boolean {
  return /^(https?|webcal):\/\//i.test(value);
}

/** The URL to request: webcal:// is https://. Throws FeedFetchError for anything but http(s). */
export function feedRequestUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value.replace(/^webcal:\/\//i, 'https://'));
  } catch {
    throw new FeedFetchError(`"${value}" is not a web address; give one such as https://committees.example.gov.uk/calendar.ics`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new FeedFetchError(`"${value}" is not an http(s) address`);
  return url;
}

export async function fetchFeed(address: string, options: FetchFeedOptions = {}): Promise<Buffer> {
  let url = feedRequestUrl(address);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const result = await get(url, options);
    if ('body' in result) return result.body;
    url = new URL(result.location, url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new FeedFetchError(`the server redirected to "${result.location}", which is not an http(s) address`);
  }
  throw new FeedFetchError(`the server redirected more than ${MAX_REDIRECTS} times`);
}

function get(url: URL, options: FetchFeedOptions): Promise<{ body: Buffer } | { location: string }> {
  const maxBytes = options.maxBytes ?? MAX_FEED_BYTES;
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      request.destroy();
      reject(new FeedFetchError(message));
    };
    const request = client.get(
      url,
      {
        // A feed is fetched once a day: no connection is kept for the next request.
        agent: false,
        headers: { accept: 'text/calendar, */*;q=0.5', 'user-agent': 'sendbot (committee calendar feed)' },
        ...(options.ca ? { ca: options.ca } : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          clearTimeout(timer);
          resolve({ location: response.headers.location });
          return;
        }
        if (status !== 200) {
          response.resume();
          fail(`the server answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''} (expected 200 with the calendar)`);
          return;
        }
        const declared = Number(response.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          fail(`the feed is ${mb(declared)}; sendbot reads feeds up to ${mb(maxBytes)}`);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) fail(`the feed is larger than ${mb(maxBytes)}, the most sendbot reads`);
          else chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ body: Buffer.concat(chunks) });
        });
        response.on('error', (error) => fail(`the download broke off (${error.message})`));
      },
    );
    const timer = setTimeout(() => fail(`the server did not send the feed within ${timeoutMs / 1000} s`), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new FeedFetchError(describeNetworkError(url, error)));
    });
  });
}

function describeNetworkError(url: URL, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `nothing answered at ${url.host} (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the name ${url.hostname} could not be found (check the address)`;
    case 'ECONNRESET':
      return `${url.host} closed the connection`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the server's certificate is not trusted (${error.code})`;
    default:
      return `the feed could not be downloaded (${error.code ?? error.message})`;
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
