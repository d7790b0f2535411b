// WAL checkpoints away from the event loop, for the long-running service.
//
// In WAL mode with synchronous=NORMAL a commit is a write() to the -wal file, with no fsync: a
// process killed after the commit loses nothing (the kernel has the data), which is what the Slack
// inbox's "acknowledged means stored" needs. The fsyncs happen in checkpoints, which copy the WAL
// back into the database file — and by default SQLite runs one inside whichever commit takes the WAL
// past 1000 pages. In the service that commit is on the event loop, often the one acknowledging a
// Slack command, so about one request in a hundred waited for two fsyncs (milliseconds, tens of
// milliseconds on a busy disk) and so did every request queued behind it.
//
// Here the service's connection stops checkpointing on commit, and a worker thread with its own
// connection runs a PASSIVE checkpoint every second instead (PASSIVE never blocks the writer or
// readers; it copies what it can). If the worker fails or stops, the connection goes back to
// checkpointing on commit, so the WAL never grows without bound.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type Db, isPostgres } from './database.js';
import { storeCall } from './unit-of-work.js';

/** SQLite's default: checkpoint on the commit that takes the WAL past this many pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** Plain JavaScript (eval'd), so it runs the same from the TypeScript sources, dist and tests. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointsOptions {
  intervalMs?: number;
  /** Told when the worker fails (the connection then checkpoints on commit again). */
  onError?: (error: unknown) => void;
}

export interface WalCheckpoints {
  /** Runs a last checkpoint, stops the worker and gives checkpointing back to the connection. */
  stop(): Promise<void>;
}

/** Moves `db`'s WAL checkpoints (a database file at `path`) to a worker thread. */
export function startWalCheckpoints(db: Db, path: string, options: WalCheckpointsOptions = {}): Promise<WalCheckpoints> {
  // PostgreSQL checkpoints by itself.
  if (isPostgres(db)) return Promise.resolve({ stop: async () => {} });
  return storeCall(db, () => {
    // An in-memory database has no WAL to checkpoint.
    if (path === ':memory:' || path === '') return { stop: async () => {} };
    // From the worker's events: in its turn on the connection, like any other statement.
    const restore = () =>
      storeCall(db, () => {
        if (db.$client.open) db.$client.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
      }).catch((error: unknown) => options.onError?.(error));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        path,
        intervalMs: options.intervalMs ?? 1000,
        busyTimeoutMs: 5000,
      },
    });
    // A checkpointer alone must not keep the process alive.
    worker.unref();
    let stopping = false;
    worker.on('error', (error) => {
      void restore();
      options.onError?.(error);
    });
    worker.on('exit', () => {
      if (!stopping) void restore();
    });
    db.$client.pragma('wal_autocheckpoint = 0');
    return {
      async stop() {
        if (stopping) return;
        stopping = true;
        const exited = once(worker, 'exit').catch(() => undefined);
        // Waiting for it must keep the process alive (an unref'd worker would let it exit mid-stop).
        worker.ref();
        worker.postMessage('stop');
        await exited;
        await restore();
      },
    };
  });
}
