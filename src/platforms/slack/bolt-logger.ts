// Bolt and the WebClient log through their own Logger interface; this routes them into our pino
// logger so every line is JSON with the same fields. Levels are pino's to decide: Bolt's setLevel is
// ignored, or it would raise our level to its default INFO.
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { componentLogger, type Logger } from '../../logger.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

export function toBoltLogger(logger: Logger): BoltLogger {
  let child = componentLogger(logger, 'bolt');
  const write = (level: Level, parts: unknown[]): void => {
    const err = parts.find((p): p is Error => p instanceof Error);
    const message = parts
      .filter((p) => p !== err)
      .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
      .join(' ');
    if (err) child[level]({ err }, message || err.message);
    else child[level](message);
  };
  return {
    debug: (...msg: unknown[]) => write('debug', msg),
    info: (...msg: unknown[]) => write('info', msg),
    warn: (...msg: unknown[]) => write('warn', msg),
    error: (...msg: unknown[]) => write('error', msg),
    setLevel: () => {},
    getLevel: () => {
      const level = child.level;
      if (level === 'debug' || level === 'trace') return LogLevel.DEBUG;
      if (level === 'info') return LogLevel.INFO;
      if (level === 'warn') return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: (name: string) => {
      child = componentLogger(logger, name);
    },
  };
}
