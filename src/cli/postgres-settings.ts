// PostgreSQL's connection settings for CLI commands, read from the environment on their own: a
// command must not need (or load the validation of) the chat settings the service reads.
import type { PostgresOptions } from '../store/postgres-database.js';
import { CliUsageError } from './context.js';

/** A command holds few connections: at most 4, fewer if DATABASE_POOL_SIZE says so. */
export function postgresSettings(env: Record<string, string | undefined>): PostgresOptions {
  const number = (name: string, fallback: number) => {
    const value = env[name]?.trim();
    if (!value) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new CliUsageError(`${name} must be a whole number (it is "${value}").`);
    return parsed;
  };
  return {
    poolSize: Math.max(1, Math.min(4, number('DATABASE_POOL_SIZE', 4))),
    statementTimeoutMs: number('DATABASE_STATEMENT_TIMEOUT_MS', 30_000),
    caFile: env.DATABASE_CA_FILE?.trim() || undefined,
  };
}
