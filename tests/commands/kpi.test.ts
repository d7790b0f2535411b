// `/send kpi` and `/send kpis` through the real command router on the demo plan (real SQLite).
import { beforeEach, describe, expect, it } from 'vitest';
import { renderText } from '../../src/render/text.js';
import type { Db } from '../../src/store/database.js';
import { listKpiSeries } from '../../src/store/kpis-repository.js';
import { ask, askText, DEMO, dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';
import { rows, sql } from '../helpers/test-db.js';

const ZARA = 'zara.sampleford@example.org'; // Solent 0-19 Service Manager: owns HCP-HR1 and HCP-HR2
const TOM = 'tom.examplefield@example.org'; // Public Health Leads: supports them
const LEAH = DEMO.clinicalLeadSolent; // owns ND-WAIT and ND-MEDS
const NOW = '2024-11-18T10:00';

let db: Db;
beforeEach(async () => {
  ({ db } = await demoPlanDb());
});

interface ReadingRow {
  code: string;
  value: number;
  period_label: string;
  period_start: string | null;
  period_end: string;
  recorded_at: string;
  email: string | null;
  platform: string;
  kind: string;
  note: string | null;
  raw_text: string;
}
const readingsOf = async (code: string) =>
  await rows(db, sql`select k.code, r.value, r.period_label, r.period_start, r.period_end, r.recorded_at, p.email, r.platform, r.kind, r.note, r.raw_text
         from kpi_readings r join kpis k on k.id = r.kpi_id left join people p on p.id = r.person_id
        where k.code = ${code} and r.platform <> 'import' order by r.id`) as ReadingRow[];
const everything = async () => `${await dbFingerprint(db)}\n${JSON.stringify(await rows(db, sql`select * from kpi_readings order by id`))}`;

describe('/send kpi <code> <value> records a reading', () => {
  it('stores the owner’s reading append-only with the period, person, platform, note and what was typed', async () => {
    const r = await ask(db, ZARA, '/send kpi HCP-HR1 64.6% for Q3 24/25 new clinic slots in Shirley', '2025-01-20T10:00');
    expect(r.tone).toBe('success');
    expect(r.summary).toBe('Recorded HCP-HR1: 64.6% for Q3 2024/25.');
    expect(await readingsOf('HCP-HR1')).toEqual([
      {
        code: 'HCP-HR1',
        value: 64.6,
        period_label: 'Q3 2024/25',
        period_start: '2024-10-01',
        period_end: '2024-12-31',
        recorded_at: '2025-01-20T10:00:00.000Z',
        email: ZARA,
        platform: 'console',
        kind: 'reading',
        note: 'new clinic slots in Shirley',
        raw_text: '/send kpi HCP-HR1 64.6% for Q3 24/25 new clinic slots in Shirley',
      },
    ]);
    // 62 + 3 × 275/365 = 64.26 → 64.3 expected at the end of Q3
    expect(renderText(r)).toContain('Position: on track: 64.6% for Q3 2024/25 (expected at least 64.3%)');
  });

  it('a second reading for the same period is a correction: a new row, the latest counts, history kept', async () => {
    await ask(db, ZARA, 'kpi HCP-HR2 62% for Q2 24/25', NOW);
    const r = await ask(db, ZARA, 'kpi HCP-HR2 63.9% for Jul–Sep 2024 figures re-run by BI', NOW);
    expect(r.summary).toBe('Corrected HCP-HR2 for Q2 2024/25: 63.9%, was 62%.');
    expect(renderText(r)).toContain('The earlier figure (62%, Zara Sampleford, 18 Nov 2024 10:00) is kept in the history');
    // Both correct the plan file's sample figure for Q2 (60.8%), which stays in the history too.
    expect((await readingsOf('HCP-HR2')).map((x) => [x.value, x.kind, x.period_end])).toEqual([
      [62, 'correction', '2024-09-30'],
      [63.9, 'correction', '2024-09-30'],
    ]);
    const series = (await listKpiSeries(db, { codes: ['HCP-HR2'] }))[0];
    expect(series?.readings.map((x) => [x.periodLabel, x.value])).toEqual([
      ['Q1 2024/25', 61.5],
      ['Q2 2024/25', 63.9],
    ]);
    // The detail view shows both, the replaced one marked.
    const shown = await askText(db, ZARA, 'kpi HCP-HR2', NOW);
    expect(shown).toContain('Q2 2024/25: 63.9% (Zara Sampleford, 18 Nov 2024 10:00, a correction): figures re-run by BI');
    expect(shown).toContain('Q2 2024/25: 62% (Zara Sampleford, 18 Nov 2024 10:00, a correction) — replaced by a later figure');
    expect(shown).toContain('Q2 2024/25: 60.8% (plan file, 2 Sep 2024 09:00, sample figure) — replaced by a later figure');
  });

  it.each([
    // [KPI, typed, recorded for]: with no period, the latest complete one for the KPI's frequency
    ['HCP-HR1 (quarterly)', 'kpi HCP-HR1 64%', 'Q2 2024/25', ZARA],
    ['ND-MEDS (monthly)', 'kpi ND-MEDS 110 weeks', 'October 2024', LEAH],
    ['TR-AHC (yearly)', 'kpi TR-AHC 71%', '2023/24', 'lucy.placeford@example.org'],
  ])('with no period, %s is recorded for the latest complete period', async (_what, typed, label, who) => {
    const r = await ask(db, who, typed, NOW);
    expect(r.tone).toBe('success');
    expect(r.summary).toContain(`for ${label}`);
    expect(renderText(r)).toContain(`No period given, so this is for ${label}`);
  });

  it.each([
    ['for last month', 'October 2024'],
    ['for September', 'September 2024'],
    ['for Sept 24', 'September 2024'],
    ['for "Q2 24/25"', 'Q2 2024/25'],
    ['as at 15 Nov 2024', '15 Nov 2024'],
    ['for 2023/24', '2023/24'],
    ['for Jul–Sep 2024', 'Q2 2024/25'],
  ])('reads the period "%s"', async (period, label) => {
    const r = await ask(db, LEAH, `kpi ND-WAIT 1,109 ${period} slow month`, NOW);
    expect(r.summary).toBe(`Recorded ND-WAIT: 1,109 for ${label}.`);
    expect((await readingsOf('ND-WAIT')).at(-1)).toMatchObject({ value: 1109, note: 'slow month' });
  });

  it.each(['hcp-hr1', 'HCP HR1', 'HCPHR1', 'HR1', 'Hcp_Hr1'])('reads the tolerant code %s', async (code) => {
    expect((await ask(db, ZARA, `kpi ${code} 64% for Q2 24/25`, NOW)).summary).toBe('Corrected HCP-HR1 for Q2 2024/25: 64%, was 64.1%.');
  });

  it('supporting roles and admins may record, and say so; an admin’s reading is audited', async () => {
    expect((await ask(db, TOM, 'kpi HCP-HR1 64% for Q2 24/25', NOW)).summary).toContain('(as a supporting role)');
    expect((await ask(db, DEMO.admin, 'kpi HCP-HR1 64.2% for Q2 24/25', NOW)).summary).toContain('(as admin)');
    expect(await rows(db, sql`select event, entity from audit_log where event like 'kpi_reading%'`)).toEqual([{ event: 'kpi_reading.by_admin', entity: 'HCP-HR1' }]);
  });

  it('a delegate may record for someone away', async () => {
    await ask(db, ZARA, `away 30 November 2024 delegate ${TOM}`, NOW);
    // Tom supports HCP anyway; Leah holds no HCP role, so delegate her instead to test delegation itself.
    await ask(db, ZARA, `away 30 November 2024 delegate ${LEAH}`, NOW);
    expect((await ask(db, LEAH, 'kpi HCP-HR2 61% for Q2 24/25', NOW)).summary).toContain('(as delegate)');
  });
});

describe('/send kpi refuses bad input clearly and stores nothing', () => {
  it.each([
    [ZARA, 'kpi HCP-HR1 63 weeks', 'HCP-HR1 is a percentage, not weeks: try /send kpi HCP-HR1 63%'],
    [LEAH, 'kpi ND-MEDS 63%', 'ND-MEDS is measured in weeks, not a percentage: try /send kpi ND-MEDS 63 weeks'],
    [LEAH, 'kpi ND-MEDS 84 days', 'ND-MEDS is measured in weeks, not days: try /send kpi ND-MEDS 12 weeks'],
    [ZARA, 'kpi HCP-HR1 101%', 'a percentage is between 0% and 100%; 101% is not'],
    [ZARA, 'kpi HCP-HR1 -2%', 'a percentage is between 0% and 100%'],
    [LEAH, 'kpi ND-WAIT -3', 'a count cannot be negative'],
    [LEAH, 'kpi ND-WAIT 12.5', 'a count is a whole number'],
    [LEAH, 'kpi ND-MEDS -4 weeks', 'a waiting time cannot be negative'],
    [ZARA, 'kpi HCP-HR1 sixty-three', '"sixty-three" is not a number. HCP-HR1 is a percentage.'],
    [ZARA, 'kpi HCP-HR1 63%% good', '"63%%" is not a number'],
    [ZARA, 'kpi HCP-HR1 for Q2 24/25 63%', 'Put the value before the period: /send kpi HCP-HR1 63% for Q2 24/25'],
    [ZARA, 'kpi HCP-HR3 63%', 'There is no KPI "HCP-HR3".'],
    [ZARA, 'kpi HCP-HR1 63% for sometime', 'I couldn\'t read "sometime" as a period.'],
    [ZARA, 'kpi HCP-HR1 63% for Q3 24/25', 'Q3 2024/25 has not ended yet, so its figure can\'t be recorded.'],
    [ZARA, 'kpi HCP-HR1 63% for 2025/26', '2025/26 has not ended yet'],
    [ZARA, 'kpi HCP-HR1 63% child 943 476 5919 missed her review', 'I can’t accept that text.'],
    [LEAH, 'kpi HCP-HR1 63%', 'You can\'t record readings for HCP-HR1. Readings for HCP-HR1 can be recorded by the owner, Zara Sampleford (Solent 0-19 Service Manager); Tom Examplefield (Public Health Leads, supporting); or a programme officer (Alex Sample, Jamie Example).'],
  ])('%s: "%s"', async (who, typed, expected) => {
    const before = await everything();
    const r = await ask(db, who, typed, NOW);
    expect(r.tone).toBe('error');
    expect(renderText(r)).toContain(expected);
    expect(await everything()).toBe(before);
  });

  it('an unknown code suggests the nearest', async () => {
    const r = renderText(await ask(db, ZARA, 'kpi HCP-HR3 63%', NOW));
    expect(r).toContain('Did you mean HCP-HR1 (HR1 (12-month review) coverage) or HCP-HR2 (HR2 (2–2.5 year review) coverage)?');
    expect(renderText(await ask(db, ZARA, 'kpi WAITING 63', NOW))).toContain('Did you mean ND-WAIT');
  });
});

describe('/send kpi <code> shows the series', () => {
  it('with trajectory, baseline, owner, trend and readings', async () => {
    const r = await ask(db, DEMO.headOfSend, 'kpi HCP-HR1', '2024-11-27T09:00');
    expect(r.summary).toBe('HCP-HR1 HR1 (12-month review) coverage — on track: 64.1% for Q2 2024/25 (expected at least 63.5%)');
    const t = renderText(r);
    for (const line of [
      'Trajectory: 65% by March 25 (31 Mar 2025); 85% in 2025/26 (1 Apr 2025 – 31 Mar 2026)',
      'Next target: 65% by March 25',
      'Baseline: 62–65% in 2023/24 (judged from 62% at 31 Mar 2024)',
      'Measure: a percentage, higher is better, reported quarterly (financial quarters)',
      'Owner: Zara Sampleford (Solent 0-19 Service Manager)',
      'Supporting: Tom Examplefield (Public Health Leads)',
      'Trend: ▁█ 63% → 64.1% (oldest first)',
      'Q1 2024/25: 63% (plan file, 2 Sep 2024 09:00, sample figure)',
    ]) {
      expect(t).toContain(line);
    }
  });

  it('"history" and "show" after the code show it too', async () => {
    expect((await ask(db, ZARA, 'kpi HCP-HR1 history', NOW)).summary).toBe((await ask(db, ZARA, 'kpi HCP-HR1', NOW)).summary);
    expect((await ask(db, ZARA, 'kpi hr1 show', NOW)).tone).toBe('info');
  });

  it('says when the figure for the period due is missing, and what it is judged against without a trajectory', async () => {
    expect((await ask(db, LEAH, 'kpi ND-WAIT', NOW)).summary).toBe(
      'ND-WAIT Children and young people waiting for an autism or ADHD assessment — no reading yet (the figure for September 2024 is due)',
    );
    expect(renderText(await ask(db, LEAH, 'kpi ND-MEDS', NOW))).toContain('No trajectory or baseline figure is set, so readings are judged against the first reading');
  });
});

describe('/send kpis', () => {
  it('lists the KPIs I own, then those I support, with where each stands', async () => {
    const r = await ask(db, LEAH, 'kpis', '2024-11-27T09:00');
    expect(r.summary).toBe('You have 3 KPIs: 1 on track, 1 off track, 1 missing a reading.');
    const [owned, supported] = r.blocks.filter((b) => b.type === 'kpis') as Extract<(typeof r.blocks)[number], { type: 'kpis' }>[];
    expect(owned?.items.map((k) => [k.code, k.position])).toEqual([
      ['ND-WAIT', 'no_reading'],
      ['ND-MEDS', 'on_track'],
    ]);
    expect(supported?.items.map((k) => [k.code, k.position, k.expected])).toEqual([['TR-PFA', 'off_track', 'at most 16.8']]);
    expect(owned?.items[1]?.sparkline).toBe('█▄▁');
  });

  it('"kpi" alone is the same list', async () => {
    expect((await ask(db, ZARA, 'kpi', NOW)).summary).toBe((await ask(db, ZARA, 'kpis', NOW)).summary);
  });

  it('someone with none is told how to see any KPI', async () => {
    expect((await ask(db, DEMO.admin, 'kpis', NOW)).summary).toBe('You have no KPIs to report.');
  });

  it('"all" is for chairs and programme officers, grouped by plan', async () => {
    const chair = await ask(db, DEMO.dcs, 'kpis all', '2024-11-27T09:00');
    expect(chair.summary).toBe('6 KPIs: 2 on track, 2 off track, 2 missing a reading.');
    expect(chair.blocks.map((b) => (b.type === 'kpis' ? b.heading : b.type))).toEqual([
      'ND: Neurodiversity Waiting List Improvement Plan',
      'TR: Transitions Improvement Plan',
      'HCP: Healthy Child Programme Improvement Plan',
    ]);
    expect((await ask(db, DEMO.admin, 'kpis all', NOW)).tone).toBe('info');
    const refused = await ask(db, ZARA, 'kpis all', NOW);
    expect(refused.tone).toBe('error');
    expect(refused.summary).toContain('Only board chairs and programme officers can list every KPI');
    expect((await ask(db, ZARA, 'kpis everything', NOW)).summary).toBe('"everything" isn\'t something I can list KPIs by.');
  });

  it('help lists both commands with examples', async () => {
    const help = await askText(db, ZARA, 'help', NOW);
    expect(help).toContain('/send kpi <code> [<value> [for <period>] [note…]]');
    expect(help).toContain('/send kpis [all]');
    // The example quotes one of this plan's own KPI codes (tests/commands/plan-examples.test.ts has the rest).
    const code = /e\.g\. \/send kpi (\S+) /.exec(await askText(db, ZARA, 'help kpi', NOW))?.[1];
    expect((await listKpiSeries(db)).map((k) => k.code)).toContain(code);
  });
});

describe('kpi: a value that is not quite one figure, and a reading that moves a long way', () => {
  it.each([
    ['kpi HCP-HR2 7 8% for Q2 24/25', '"7 8%" has a second number after the value: did you mean 78%?', '/send kpi HCP-HR2 78%'],
    ['kpi ND-MEDS 2 4 weeks', '"2 4 weeks" has a second number after the value: did you mean 24 weeks?', '/send kpi ND-MEDS 24 weeks'],
    ['kpi HCP-HR1 63% % new clinics', '"63% %" has a unit after the value.', 'write note: before it'],
    ['kpi HCP-HR1 63% 12 new clinics', '"63% 12" has a second number after the value.', 'write note: before it'],
  ])('%s is refused with what was probably meant, and nothing is stored', async (typed, summary, detail) => {
    const before = await everything();
    const r = await ask(db, typed.includes('ND-') ? LEAH : ZARA, typed, NOW);
    expect(r.tone).toBe('error');
    expect(r.summary).toBe(summary);
    expect(renderText(r)).toContain(detail);
    expect(renderText(r)).toContain('Nothing was saved.');
    expect(await everything()).toBe(before);
  });

  it('reads "60 %", "60 percent" and "60 pct" like "60%", and note: lets a note start with a number', async () => {
    expect((await ask(db, ZARA, 'kpi HCP-HR1 64 % for Q3 24/25', '2025-01-20T10:00')).summary).toBe('Recorded HCP-HR1: 64% for Q3 2024/25.');
    expect((await ask(db, ZARA, 'kpi HCP-HR2 63 pct for Q3 24/25', '2025-01-20T10:00')).summary).toBe('Recorded HCP-HR2: 63% for Q3 2024/25.');
    await ask(db, ZARA, 'kpi HCP-HR2 63 per cent for Q3 24/25 note: 12 new clinics', '2025-01-20T10:00');
    expect((await readingsOf('HCP-HR2')).at(-1)?.note).toBe('12 new clinics');
  });

  it('asks before storing a reading that moves more than half of the last one, with both figures; "confirm" stores it', async () => {
    const before = await everything();
    // The standing figure for Q2 is the plan file's 60.8%.
    const asked = await ask(db, ZARA, 'kpi HCP-HR2 7% for Q2 24/25 re-run', NOW);
    expect(asked.tone).toBe('warning');
    expect(asked.summary).toBe('HCP-HR2: record 7% for Q2 2024/25? The last reading was 60.8% (Q2 2024/25), so this moves it by more than half.');
    expect(asked.buttons).toEqual([{ id: 'confirm', label: 'Record 7%', value: '/send kpi HCP-HR2 7% for Q2 24/25 re-run confirm', style: 'primary' }]);
    expect(await everything()).toBe(before);

    const done = await ask(db, ZARA, asked.buttons?.[0]?.value as string, NOW);
    expect(done.summary).toBe('Corrected HCP-HR2 for Q2 2024/25: 7%, was 60.8%.');
    expect((await readingsOf('HCP-HR2')).map((x) => [x.value, x.kind, x.note])).toEqual([[7, 'correction', 're-run']]);
  });

  it('compares a new period with the last period before it, and leaves a small move alone', async () => {
    // Q2's standing figure is 60.8%: 25% for Q3 is a fall of more than half; 58% is not.
    expect((await ask(db, ZARA, 'kpi HCP-HR2 25% for Q3 24/25', '2025-01-20T10:00')).tone).toBe('warning');
    const small = await ask(db, ZARA, 'kpi HCP-HR2 58% for Q3 24/25 waiting to confirm', '2025-01-20T10:00');
    expect(small.summary).toBe('Recorded HCP-HR2: 58% for Q3 2024/25.');
    // "confirm" on a reading that needed no confirmation is a word of the note, kept.
    expect((await readingsOf('HCP-HR2')).at(-1)?.note).toBe('waiting to confirm');
  });

  it('the same figure again for a period is not a correction', async () => {
    await ask(db, ZARA, 'kpi HCP-HR2 62% for Q2 24/25', NOW);
    const again = await ask(db, ZARA, 'kpi HCP-HR2 62% for Q2 24/25 checked with BI', NOW);
    expect(again.summary).toBe('HCP-HR2 for Q2 2024/25 stays 62%: the same figure as recorded before.');
    expect(renderText(again)).not.toContain('was 62%');
    expect((await readingsOf('HCP-HR2')).map((x) => [x.value, x.kind])).toEqual([
      [62, 'correction'],
      [62, 'reading'],
    ]);
  });
});
