// Which instance plans and delivers (issue 21). Several instances may share one PostgreSQL
// database behind a load balancer; exactly one of them runs the scheduler's cycles at a time.
//
// PostgreSQL: the leader holds a session advisory lock (LEADER_LOCK_KEY) on a connection of its
// own — a pg.Client, never one from the pool, since a pooled connection is handed to other work and
// its session (and the lock with it) would be shared or dropped by the pool. If the leader dies
// (kill -9, a lost network), the server ends its session and the lock goes with it; the next cycle
// of another instance takes it. A leader checks its connection each cycle, so one that lost it
// stops leading before another can start.
//
// SQLite: one file, one host; every instance may run its cycle, as before (the write lock
// serialises their writes, and outbox claims are exclusive).
import pg from 'pg';
import type { Db } from './database.js';
import { PostgresDb } from './postgres-database.js';
import { hostname } from 'node:os';

/** The session advisory lock the leader holds ('sbld'); writes use WRITE_LOCK_KEY, migrations another. */
export const LEADER_LOCK_KEY = 0x73626c64;

export interface Leadership {
  /** True when this instance may plan and deliver now (takes the lead when it is free). */
  isLeader(): Promise<boolean>;
  /** Gives the lead up (ends the dedicated connection). */
  close(): Promise<void>;
}

/** Every instance leads on SQLite. */
const alwaysLeader: Leadership = { isLeader: async () => true, close: async () => {} };

export interface LeadershipLogger {
  info(detail: object, message?: string): void;
  warn(detail: object, message?: string): void;
}

export function leadershipFor(db: Db, logger?: LeadershipLogger): Leadership {
  return db instanceof PostgresDb ? new AdvisoryLockLeadership(db, logger) : alwaysLeader;
}

class AdvisoryLockLeadership implements Leadership {
  private client: pg.Client | undefined;
  private leading = false;
  private closed = false;

  constructor(
    private readonly db: PostgresDb,
    private readonly logger?: LeadershipLogger,
  ) {}

  async isLeader(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const client = await this.connection();
      if (this.leading) {
        // Still connected means still holding the lock (it lives as long as the session).
        await client.query('select 1');
        return true;
      }
      // As an integer: the pool's settings give booleans back as 1/0 (the SQLite store's shape).
      const result = await client.query<{ got: number }>(`select pg_try_advisory_lock(${LEADER_LOCK_KEY})::int as got`);
      this.leading = Number(result.rows[0]?.got) === 1;
      if (this.leading) this.logger?.info({ where: this.db.where }, 'this instance now plans and delivers (leader)');
      return this.leading;
    } catch (error) {
      this.drop(error);
      return false;
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    // The pool's own settings (URL, TLS, timeouts), for one connection outside it.
    // Named after this host and process (the container's name, on a container host), so IT can see which instance leads (README).
    const client = new pg.Client({ ...this.db.pool.options, application_name: `sendbot-leader ${hostname()} ${process.pid}`.slice(0, 63) } as pg.ClientConfig);
    client.on('error', (error) => this.drop(error));
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      this.client = undefined;
      throw error;
    }
    return client;
  }

  /** The connection failed: the lock went with its session, so this instance leads no more. */
  private drop(error: unknown): void {
    const client = this.client;
    this.client = undefined;
    if (this.leading) this.logger?.warn({ err: error }, 'lost the leader connection; another instance may take over');
    this.leading = false;
    client?.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.leading = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
