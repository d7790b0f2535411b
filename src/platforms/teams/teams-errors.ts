// Turns a failed Bot Framework connector call into the outbox's terms.
//
// botbuilder's ConnectorClient throws @azure/core-rest-pipeline's RestError: `statusCode`, the
// connector's error `code` (e.g. "BotDisabledByAdmin", "ConversationBlockedByUser"), and the raw
// response (non-enumerable) with its headers, where Retry-After is.
//
// - 429 Too Many Requests, 412 Precondition Failed, 502, 504, other 5xx and 408: transient, with
//   Retry-After (seconds or an HTTP date) as the floor for the outbox's jittered backoff;
// - 401 and 403: permanent (our credentials, or the bot blocked, uninstalled or removed); a 403 also
//   disables the conversation reference;
// - other 4xx (400 bad activity, 404 conversation not found, 413 too large): permanent;
// - no status (connection refused, DNS, timeout): transient.
import type { DeliveryOutcome } from '../../jobs/delivery-types.js';

export type TeamsFailure = Extract<DeliveryOutcome, { ok: false }> & {
  status?: number;
  /** True when the conversation reference should be disabled (the bot may no longer post there). */
  disableReference: boolean;
};

const TRANSIENT_STATUSES = new Set([408, 412, 429, 502, 504]);

interface HeaderBag {
  get?: (name: string) => string | undefined | null;
  [name: string]: unknown;
}

function header(error: unknown, name: string): string | undefined {
  const headers = (error as { response?: { headers?: HeaderBag } }).response?.headers;
  if (!headers) return undefined;
  const value = typeof headers.get === 'function' ? headers.get(name) : headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (relative to `nowMs`). */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export function classifyTeamsError(error: unknown, nowMs: number = Date.now()): TeamsFailure {
  const status = (error as { statusCode?: unknown }).statusCode;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof status !== 'number') {
    return { ok: false, permanent: false, disableReference: false, error: `could not reach Teams: ${typeof code === 'string' ? `${code} ` : ''}${message}`.trim() };
  }
  const detail = `HTTP ${status} from Teams${typeof code === 'string' && code !== '' ? ` (${code})` : ''}: ${message}`.slice(0, 500);
  const retryAfterMs = parseRetryAfter(header(error, 'retry-after'), nowMs);
  const transient = TRANSIENT_STATUSES.has(status) || status >= 500;
  if (transient) {
    return { ok: false, permanent: false, status, disableReference: false, error: detail, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { ok: false, permanent: true, status, disableReference: status === 403, error: detail };
}
