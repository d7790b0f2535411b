// One pino logger per process, created by the composition root and passed down. pino writes JSON
// lines (one object per event, with level, time and context fields), which is what log collectors
// in production want; pipe through `npx pino-pretty` to read them in a terminal.
import { type Logger as PinoLogger, pino } from 'pino';

export type Logger = PinoLogger;
export type LogLevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** A JSON logger at `level` ('silent' in tests). */
export function createLogger(level: LogLevelName = 'info'): Logger {
  return pino({
    level,
    base: { app: 'sendbot' },
    // Tokens never belong in logs, wherever they turn up in a logged object.
    redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
  });
}
