// Child process (forked, with an IPC channel) serving Slack's POST /slack/events on loopback:
//
//   --mode sendbot  the real app: createSlackApp (every listener) on the cached --size database,
//                   mounted on sendbot's HTTP server, WAL checkpoints in a worker, as src/main.ts does.
//   --mode bare     the floor: the smallest real Bolt slash-command app. A Bolt App with the same
//                   HTTPReceiver options (signing secret, endpoint, processBeforeResponse false), the
//                   same client options and logger, the same HTTP server, and one `/send` listener
//                   that acknowledges, then answers through the request's response_url with
//                   respond() (as every slash command that answers after its ack must). Its receiver
//                   reads and verifies requests itself (Bolt as shipped), where sendbot's route
//                   verifies first and keeps a replay cache and an inbox; it looks nothing up.
//
// Both talk to the fake Slack Web API at --api (auth.test at start; sendbot's replies go to the
// response_url in each request). Sends { url } to the parent when listening, answers { rss } on
// request, and exits when the parent disconnects.
import { App, HTTPReceiver } from '@slack/bolt';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer } from '../../src/http/http-server.js';
import { createLogger } from '../../src/logger.js';
import { toBoltLogger } from '../../src/platforms/slack/bolt-logger.js';
import { slackClientOptions } from '../../src/platforms/slack/slack-client-options.js';
import { createSlackApp, SLACK_EVENTS_PATH } from '../../src/platforms/slack/slack-app.js';
import { openDatabase } from '../../src/store/database.js';
import { startWalCheckpoints } from '../../src/store/wal-checkpoints.js';
import { BENCH_NOW } from '../bench-db.js';
import { ensureBenchDb } from './bench-copy.js';
import { argValue, mb, peakRssMb } from './common.js';

const mode = argValue('mode');
const size = Number(argValue('size'));
const apiUrl = argValue('api');
const secret = argValue('secret');
const token = 'xoxb-bench';

async function main(): Promise<void> {
  // 'warn' as in a quiet production deployment; pino writes to stdout, which the parent ignores.
  const logger = createLogger('warn');
  const { path } = await ensureBenchDb(size);
  // The bare app opens the database too, so both processes hold the same kind of state.
  const db = await openDatabase(path);
  const http = createHttpServer({ db, logger });
  if (mode === 'sendbot') {
    await startWalCheckpoints(db, path);
    const slack = await createSlackApp({ db, clock: fixedClock(BENCH_NOW), config: { botToken: token, signingSecret: secret, apiUrl }, logger });
    await slack.start(http);
  } else if (mode === 'bare') {
    const boltLogger = toBoltLogger(logger);
    const receiver = new HTTPReceiver({ signingSecret: secret, endpoints: SLACK_EVENTS_PATH, logger: boltLogger, processBeforeResponse: false });
    const app = new App({ token, logger: boltLogger, clientOptions: slackClientOptions({ apiUrl }), convoStore: false, deferInitialization: true, receiver });
    app.command('/send', async ({ ack, command, respond }) => {
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, text: `You asked: ${command.text}` });
    });
    await app.init();
    http.addRoute('POST', SLACK_EVENTS_PATH, receiver.requestListener);
  } else {
    throw new Error(`unknown --mode ${mode}`);
  }
  const { url } = await http.listen(0, '127.0.0.1');
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'rss') process.send?.({ type: 'rss', rssMb: mb(process.memoryUsage().rss), peakRssMb: peakRssMb() });
  });
  process.on('disconnect', () => {
    db.$client.close();
    process.exit(0);
  });
  process.send?.({ type: 'ready', url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
