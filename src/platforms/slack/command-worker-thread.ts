// The command worker's thread (started by command-worker.ts): its own database connection, opened
// with the app's own openDatabase, its own Web API client (for users.info) and a logger whose lines
// go back to the main thread's logger. It carries out each job it is sent and posts the outcome back.
//
// Messages in: { type: 'job', id, job } and { type: 'stop' } (after the main thread has drained it).
// Messages out: { type: 'ready' } or { type: 'start-failed', error }, { type: 'outcome', id, outcome },
// { type: 'log', line }.
import { parentPort, workerData } from 'node:worker_threads';
import { WebClient } from '@slack/web-api';
import { createLogger } from '../../logger.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { toBoltLogger } from './bolt-logger.js';
import { slackClientOptions } from './slack-client-options.js';
import type { CommandWorkerData, FromWorker, ToWorker } from './command-worker.js';
import { carryError, carryOutSlashCommand } from './slash-command-work.js';

const port = parentPort;
if (!port) throw new Error('command-worker-thread.ts runs only as a worker thread (see command-worker.ts)');
const data = workerData as CommandWorkerData;
const send = (message: FromWorker): void => port.postMessage(message);

// Lines go to the main thread, which writes them with its own logger (and its destination).
const logger = createLogger(data.logLevel, { write: (line: string) => send({ type: 'log', line }) });

try {
  const db = await openDatabase(data.databasePath);
  const client = new WebClient(data.botToken, { ...slackClientOptions({ ...(data.apiUrl ? { apiUrl: data.apiUrl } : {}) }), logger: toBoltLogger(logger) });
  const deps = { db, client, logger, ...(data.dashboard ? { dashboard: data.dashboard } : {}), ...(data.policy ? { policy: data.policy } : {}) };
  port.on('message', (message: ToWorker) => {
    if (message.type === 'job') {
      void carryOutSlashCommand(deps, message.job).then((outcome) => send({ type: 'outcome', id: message.id, outcome }));
    } else if (message.type === 'stop') {
      void closeDatabase(db).finally(() => port.close());
    }
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'start-failed', error: carryError(error) });
  port.close();
}
