// `/send kpi` over HTTP: signed slash commands POSTed to the real Bolt app on sendbot's HTTP server,
// replies arriving at a loopback stand-in for Slack's response_url; the demo plan in a real SQLite file.
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer } from '../../src/http/http-server.js';
import { createSlackApp } from '../../src/platforms/slack/slack-app.js';
import type { Db } from '../../src/store/database.js';
import { dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';
import { type RecordedCall, type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { postSlashCommand } from '../helpers/slack-requests.js';
import { closeTestDb, one, rows, sql } from '../helpers/test-db.js';

const SECRET = 'e2e-kpi-signing-secret';
const NOW = '2024-11-18T10:00';
const ZARA = 'U0DEMO22'; // Solent 0-19 Service Manager: owns HCP-HR1 and HCP-HR2
const LEAH = 'U0DEMO12'; // SEND Clinical Lead Solent: no HCP role

const textOf = (call: RecordedCall | undefined): string => JSON.stringify(call?.body ?? {});
const readings = async (db: Db) => JSON.stringify(await rows(db, sql`select * from kpi_readings order by id`));

describe('/send kpi over Slack HTTP', () => {
  let api: SlackApiServer;
  let db: Db;
  let baseUrl: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    api = await startSlackApiServer({ token: 'xoxb-e2e' });
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    api.reset();
    ({ db } = await demoPlanDb());
    const logger = pino({ level: 'silent' });
    const http = createHttpServer({ db, logger });
    const slack = await createSlackApp({ db, clock: fixedClock(NOW), config: { botToken: 'xoxb-e2e', signingSecret: SECRET, apiUrl: api.apiUrl }, logger });
    await slack.start(http);
    ({ url: baseUrl } = await http.listen(0, '127.0.0.1'));
    stop = async () => {
      await slack.stop();
      await http.close();
      await closeTestDb(db);
    };
  });
  afterEach(async () => {
    await stop();
  });

  const slash = (userId: string, text: string) => postSlashCommand(baseUrl, SECRET, { text, user_id: userId, response_url: api.responseUrl() });

  it('records the owner’s reading with platform slack and answers ephemerally; a note cannot ping anyone', async () => {
    const res = await slash(ZARA, 'kpi HCP-HR2 62.4% for Q2 24/25 <!channel> re-run by BI');
    expect(res.status).toBe(200);
    const [answer] = await api.waitForCalls('response_url', 1, 3000);
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer?.body.text)).toBe('Corrected HCP-HR2 for Q2 2024/25: 62.4%, was 60.8%.');
    expect(textOf(answer)).toContain('off track: 62.4% for Q2 2024/25 (expected at least 63.5%)');
    expect(textOf(answer)).toContain('&lt;!channel&gt; re-run by BI');
    expect(textOf(answer)).not.toContain('<!channel>');
    const row = await one(db, sql`select r.value, r.platform, r.kind, r.note, r.raw_text, p.slack_user_id as who from kpi_readings r join people p on p.id = r.person_id order by r.id desc limit 1`);
    expect(row).toEqual({ value: 62.4, platform: 'slack', kind: 'correction', note: '<!channel> re-run by BI', raw_text: '/send kpi HCP-HR2 62.4% for Q2 24/25 <!channel> re-run by BI', who: ZARA });
  });

  it('refuses a wrong unit with the right form, and someone who may not record, storing nothing', async () => {
    const before = `${await dbFingerprint(db)}${await readings(db)}`;
    await slash(ZARA, 'kpi HCP-HR1 63 weeks');
    await slash(LEAH, 'kpi HCP-HR1 63%');
    const [unit, permission] = await api.waitForCalls('response_url', 2, 3000);
    const answers = [textOf(unit), textOf(permission)].join('\n');
    expect(answers).toContain('HCP-HR1 is a percentage, not weeks: try /send kpi HCP-HR1 63%');
    expect(answers).toContain("You can't record readings for HCP-HR1.");
    expect(`${await dbFingerprint(db)}${await readings(db)}`).toBe(before);
  });

  it('shows a KPI with its sparkline in Block Kit', async () => {
    await slash(LEAH, 'kpis');
    const [answer] = await api.waitForCalls('response_url', 1, 3000);
    expect(String(answer?.body.text)).toBe('You have 3 KPIs: 1 on track, 1 off track, 1 missing a reading.');
    expect(textOf(answer)).toContain('*ND-MEDS* Wait from ADHD diagnosis to starting medication\\n🟢 on track · 113 weeks for October 2024, expected at most 118 weeks\\nTrend █▄▁');
    expect(textOf(answer)).toContain('⚪ no reading · nothing recorded yet');
  });
});
