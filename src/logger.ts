// One pino logger per process, created by the composition root and passed down. pino writes JSON
// lines (one object per event, with level, time and context fields), which is what log collectors
// in production want; pipe through `npx pino-pretty` to read them in a terminal.
//
// What people write stays out of the logs: code logs ids, lengths and reasons, never a note or a
// command's text (text that was refused — an NHS number — above all), and two nets catch mistakes:
// `redact` censors fields named like free text wherever they sit in a logged object, and errors are
// logged as name, message, code and stack only (an HTTP client's error otherwise carries the request
// it made, such as a reply quoting the person's note).
import { type Logger as PinoLogger, pino, symbols } from 'pino';

export type Logger = PinoLogger;
export type LogLevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Field names that hold tokens or what a person wrote. */
const REDACTED = ['token', 'authorization', 'text', 'note', 'rawText', 'raw_text', 'value', 'dueReason', 'body', 'payload'];

export const REDACT_PATHS = [
  ...REDACTED,
  ...REDACTED.map((f) => `*.${f}`),
  'headers.authorization',
  '*.headers.authorization',
];

interface LoggedError {
  type: string;
  message: string;
  code?: unknown;
  /** Slack Web API errors: the API's error code (`data.error`), never the request. */
  slackError?: unknown;
  stack?: string;
  cause?: LoggedError;
}

/** An error as logged: what went wrong and where, without the payloads some errors carry. */
export function serializeError(error: unknown, depth = 0): LoggedError | unknown {
  if (!(error instanceof Error)) return error;
  const e = error as Error & { code?: unknown; data?: { error?: unknown } };
  const out: LoggedError = { type: e.name, message: e.message };
  if (e.code !== undefined) out.code = e.code;
  if (e.data && typeof e.data === 'object' && e.data.error !== undefined) out.slackError = e.data.error;
  if (e.stack) out.stack = e.stack;
  if (e.cause instanceof Error && depth < 3) out.cause = serializeError(e.cause, depth + 1) as LoggedError;
  return out;
}

/** A JSON logger at `level` ('silent' in tests), writing to stdout unless given a destination. */
export function createLogger(level: LogLevelName = 'info', destination?: { write(line: string): void }): Logger {
  const options = {
    level,
    base: { app: 'sendbot' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A `"component":"…"` binding as pino keeps it: a JSON fragment appended to the parent's. */
const COMPONENT_BINDING = /,"component":"(?:[^"\\]|\\.)*"/g;

/**
 * A child logger for `component`. pino appends a child's bindings to its parent's, so a component's
 * logger made from another component's would write `component` twice in every line (and log
 * collectors keep one or the other). This one replaces the parent's component instead.
 */
export function componentLogger(logger: Logger, component: string): Logger {
  const child = logger.child({});
  const key = symbols.chindingsSym as unknown as keyof Logger;
  const inherited = String((child as unknown as Record<PropertyKey, unknown>)[key] ?? '').replace(COMPONENT_BINDING, '');
  (child as unknown as Record<PropertyKey, unknown>)[key] = `${inherited},"component":${JSON.stringify(component)}`;
  return child;
}
