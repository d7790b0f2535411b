// The only module that knows about cron. Every few minutes (Europe/London wall clock, so the schedule
// follows the clocks through BST changes) it refreshes followed calendar feeds (each once a day),
// runs a tick and then delivers what is due. The jobs are
// level-triggered, so a missed or late run only delays messages; runs never overlap.
import cron, { type ScheduledTask } from 'node-cron';
import { type Clock, LONDON, systemClock } from '../clock.js';
import type { Db } from '../store/database.js';
import type { Leadership } from '../store/leadership.js';
import { type DeliveryReport, deliverDue } from './deliver.js';
import type { DeliveryAdapter } from './delivery-types.js';
import { type FeedDownloader, type FeedRefreshResult, refreshFollowedFeeds } from './refresh-feeds.js';
import { runTick, type TickResult } from './tick.js';

/** pino-compatible: `logger.info({ ...detail }, 'message')`. */
export interface SchedulerLogger {
  info(detail: object, message?: string): void;
  error(detail: object, message?: string): void;
  debug?(detail: object, message?: string): void;
}

export interface SchedulerOptions {
  db: Db;
  clock?: Clock;
  adapters: DeliveryAdapter[];
  cronExpression?: string;
  logger?: SchedulerLogger;
  workerId?: string;
  maxAttempts?: number;
  /** How long a claimed batch is held (see DEFAULT_LEASE_MS). */
  leaseMs?: number;
  /** How followed calendar feeds are downloaded (tests trust a throwaway certificate authority). */
  downloadFeed?: FeedDownloader;
  /**
   * With several instances on one database, whether this one plans and delivers now (see
   * store/leadership.ts). Without it every cycle runs.
   */
  leadership?: Leadership;
}

export interface CycleReport {
  feeds: FeedRefreshResult[];
  tick: TickResult;
  delivery: DeliveryReport;
}

export interface Scheduler {
  /** Settles when the run started at startup has finished. */
  ready: Promise<void>;
  /** Runs a cycle now, or joins the one already running. */
  runNow(): Promise<CycleReport | undefined>;
  /** Stops the schedule and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

const quietLogger: SchedulerLogger = { info: () => {}, error: () => {} };

export function startScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? quietLogger;
  let running: Promise<CycleReport | undefined> | undefined;
  let stopped = false;

  const cycle = async (): Promise<CycleReport | undefined> => {
    // One instance plans and delivers at a time; the others' cycles do nothing until it dies.
    if (options.leadership && !(await options.leadership.isLeader())) {
      logger.debug?.({}, 'another instance is the leader; this cycle plans and delivers nothing');
      return undefined;
    }
    // Followed feeds first (once a day each), so today's meeting changes are planned in this tick. A
    // failure here is logged and never stops nudges going out.
    let feeds: FeedRefreshResult[] = [];
    try {
      feeds = await refreshFollowedFeeds({ db: options.db, clock, download: options.downloadFeed });
      if (feeds.length > 0) logger.info({ feeds }, 'calendar feeds checked');
    } catch (error) {
      logger.error({ err: error }, 'calendar feed refresh failed');
    }
    // A failed plan (a bad row, a lost connection) must not hold back messages already queued:
    // delivery runs either way, and the next run plans again.
    let tick: TickResult | undefined;
    try {
      tick = await runTick({ db: options.db, clock });
    } catch (error) {
      // Logged and swallowed: nothing was half-written (one transaction).
      logger.error({ err: error }, 'scheduler tick failed; delivering what was already queued');
    }
    try {
      const delivery = await deliverDue({ db: options.db, clock, adapters: options.adapters, workerId: options.workerId, maxAttempts: options.maxAttempts, ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}) });
      if (!tick) return undefined;
      if (tick.enqueued.length || tick.skipped.length || delivery.results.length || tick.warnings.length) {
        logger.info(
          {
            enqueued: tick.enqueued.length,
            released: tick.released.length,
            skipped: tick.skipped.length,
            delivered: delivery.results.filter((r) => r.outcome === 'sent').length,
            retrying: delivery.results.filter((r) => r.outcome === 'retry').length,
            dead: delivery.results.filter((r) => r.outcome === 'dead').length,
            warnings: tick.warnings,
          },
          'scheduler tick',
        );
      }
      return { feeds, tick, delivery };
    } catch (error) {
      logger.error({ err: error }, 'delivery failed');
      return undefined;
    }
  };
  // A run still going when the next is due is joined, not doubled: two runs would only race for rows.
  const runNow = (): Promise<CycleReport | undefined> => {
    if (stopped) return Promise.resolve(undefined);
    running ??= cycle().finally(() => {
      running = undefined;
    });
    return running;
  };

  const task: ScheduledTask = cron.schedule(options.cronExpression ?? '*/5 * * * *', () => runNow(), {
    timezone: LONDON,
    noOverlap: true,
    name: 'sendbot-tick',
  });
  const ready = runNow().then(() => undefined);

  return {
    ready,
    runNow,
    stop: async () => {
      stopped = true;
      await task.stop();
      await task.destroy();
      await running;
    },
  };
}
