// Web API client settings shared by the Bolt app and the outbox adapter.
//
// The WebClient's defaults suit a script, not a service with an outbox: no request timeout (a hung
// connection would hold a delivery forever), ten retries over about thirty minutes (hidden inside one
// delivery attempt), and 429s waited out in-process. Here every call makes one attempt with a
// 10-second timeout, and a 429 is thrown as WebAPIRateLimitedError so the outbox can reschedule the
// row after Retry-After. Interactive calls (views.open, respond) get the same treatment: a person is
// waiting, and a retry minutes later would be useless to them.
import type { WebClientOptions } from '@slack/web-api';
import type { Config } from '../../config.js';

export type SlackConfig = NonNullable<Config['slack']>;

export const SLACK_REQUEST_TIMEOUT_MS = 10_000;

export function slackClientOptions(config: Pick<SlackConfig, 'apiUrl'>): WebClientOptions {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {}),
    timeout: SLACK_REQUEST_TIMEOUT_MS,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };
}
