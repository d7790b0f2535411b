// The 'kpis' reply block in every renderer, from the demo digest and from hostile text; plus the
// digest's KPI part as built from the demo plan on its papers deadline.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCards } from '../../src/render/adaptive-card.js';
import { renderBlocks } from '../../src/render/block-kit.js';
import { digestToReply } from '../../src/render/digest-reply.js';
import { renderHtml } from '../../src/render/html.js';
import { sparkline } from '../../src/render/kpi-text.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { type KpiLine, type Reply, reply } from '../../src/render/reply.js';
import { renderText } from '../../src/render/text.js';
import { loadBoardDigest } from '../../src/store/digest-loader.js';
import { checkBlockKitLimits } from '../helpers/block-kit-limits.js';
import { DIGEST_NOW, scriptedDemoDb } from '../helpers/digest-demo.js';
import { sql, testDbAt, value } from '../helpers/test-db.js';

const HOSTILE = '<!channel> <@U123> <https://x|y> <at>Everyone</at> [link](https://evil.example) <script>alert(1)</script> @here';

const line = (overrides: Partial<KpiLine> = {}): KpiLine => ({
  code: 'HCP-HR1',
  name: 'HR1 (12-month review) coverage',
  position: 'off_track',
  latest: '60.8% for Q2 2024/25',
  expected: 'at least 63.5%',
  sparkline: '█▁',
  points: [
    { periodEnd: '2024-06-30', value: 61.5 },
    { periodEnd: '2024-09-30', value: 60.8 },
  ],
  nextTarget: '65% by March 25',
  owner: 'Solent 0-19 Service Manager',
  ownerHolders: ['Zara Sampleford'],
  detail: 'sample figures, not published statistics',
  ...overrides,
});

const kpiReply = (items: KpiLine[]): Reply => reply('info', 'KPIs', [{ type: 'kpis', heading: 'KPIs (1)', items }]);

describe('sparkline', () => {
  it.each([
    [[], ''],
    [[5], '▄'],
    [[5, 5, 5], '▄▄▄'],
    [[1, 2, 3, 4, 5, 6, 7, 8], '▁▂▃▄▅▆▇█'],
    [[63, 64.1], '▁█'],
    [[118, 115, 113], '█▄▁'],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], '▁▂▃▄▅▆▇█'],
  ])('%j → %s', (values, bars) => {
    expect(sparkline(values)).toBe(bars);
  });
});

describe('a KPI line in every renderer', () => {
  it('text: one line with the position as a word and the trend', () => {
    expect(renderText(kpiReply([line()]))).toContain(
      '  HCP-HR1 · HR1 (12-month review) coverage · off track · 60.8% for Q2 2024/25, expected at least 63.5% · trend █▁ · next 65% by March 25 · Solent 0-19 Service Manager (Zara Sampleford) · sample figures, not published statistics',
    );
  });

  it('Markdown: a table row, hostile text escaped', () => {
    const md = renderMarkdown(kpiReply([line({ name: HOSTILE, detail: 'a | b' })]));
    expect(md).toContain('| KPI | Position | Latest | Expected | Trend | Next target | Owner | Detail |');
    expect(md).toContain('| off track | 60\\.8% for Q2 2024/25 | at least 63.5% | █▁ |');
    expect(md).toContain('a \\| b');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('](https://');
  });

  it('HTML: a table row with the position as a word on its colour and the figures behind the trend', () => {
    const html = renderHtml(kpiReply([line({ name: HOSTILE })]));
    expect(html).toContain('<span class="status kpi-off_track">off track</span>');
    expect(html).toContain('<span class="trend" role="img" aria-label="readings, oldest first: 61.5, 60.8">█▁</span>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('Block Kit: code in bold, position mark and word, sparkline; nothing can ping', () => {
    const [message] = renderBlocks(kpiReply([line(), line({ code: 'ND-WAIT', name: HOSTILE, position: 'no_reading', latest: null, expected: null, sparkline: '', nextTarget: null, detail: HOSTILE })]));
    const json = JSON.stringify(message);
    expect(json).toContain('*HCP-HR1* HR1 (12-month review) coverage\\n🔴 off track · 60.8% for Q2 2024/25, expected at least 63.5%\\nTrend █▁ · next 65% by March 25\\nOwner: Solent 0-19 Service Manager (Zara Sampleford)');
    expect(json).toContain('⚪ no reading · nothing recorded yet');
    expect(json).not.toMatch(/<[!@]/);
    expect(json).not.toContain('<https://');
    expect(checkBlockKitLimits(message as NonNullable<typeof message>)).toEqual([]);
  });

  it('Adaptive Card: a container per KPI, hostile text escaped', () => {
    const [card] = renderCards(kpiReply([line({ detail: HOSTILE })]));
    const json = JSON.stringify(card);
    expect(json).toContain('**HCP-HR1** HR1 (12-month review) coverage');
    expect(json).toContain('🔴 off track · 60.8% for Q2 2024/25, expected at least 63.5%');
    expect(json).toContain('trend █▁ · next 65% by March 25 · owner: Solent 0-19 Service Manager (Zara Sampleford)');
    expect(json).not.toContain('<at>');
    expect(json).not.toContain('[link](https://evil.example)');
  });
});

describe('the digest’s KPI part (demo plan, SEND Partnership Board, 27 November 2024)', () => {
  let digest: Awaited<ReturnType<typeof loadBoardDigest>>;
  beforeAll(async () => {
    const db = await testDbAt(await scriptedDemoDb());
    const board = await value(db, sql`select id from boards where name = 'SEND Partnership Board'`) as number;
    digest = await loadBoardDigest(db, board, '2024-11-27T09:00:00.000Z');
  });

  it('judges each KPI on the digest’s day and places it under its plan', () => {
    expect(DIGEST_NOW).toBe('2024-11-27T09:00');
    expect(digest.totals.kpis).toEqual({ total: 6, onTrack: 2, offTrack: 2, noReading: 2 });
    expect(digest.plans.map((p) => [p.code, p.kpis.map((k) => `${k.code} ${k.position}`)])).toEqual([
      ['ND', ['ND-WAIT no_reading', 'ND-MEDS on_track']],
      ['TR', ['TR-AHC no_reading', 'TR-PFA off_track']],
      ['HCP', ['HCP-HR1 on_track', 'HCP-HR2 off_track']],
      ['QA', []],
      ['WD', []],
    ]);
    const hr1 = digest.plans[2]?.kpis[0];
    expect(hr1).toMatchObject({
      expected: 63.5,
      latest: { value: 64.1, periodLabel: 'Q2 2024/25', isSample: true },
      duePeriod: { label: 'Q2 2024/25' },
      nextTarget: { target: 65, byText: 'March 25' },
      owner: 'Solent 0-19 Service Manager',
      ownerHolders: ['Zara Sampleford'],
      readings: [
        { periodLabel: 'Q1 2024/25', value: 63 },
        { periodLabel: 'Q2 2024/25', value: 64.1 },
      ],
    });
  });

  it('renders under each plan’s RAG figures, in chat as in a board paper', () => {
    const r = digestToReply(digest);
    const hcp = r.blocks.findIndex((b) => b.type === 'heading' && b.text.startsWith('HCP:'));
    const block = r.blocks[hcp + 2];
    expect(block?.type === 'kpis' ? [block.heading, block.items.map((k) => [k.code, k.sparkline])] : block).toEqual([
      'KPIs (2): 1 on track, 1 off track, 0 with no reading for the period due',
      [
        ['HCP-HR1', '▁█'],
        ['HCP-HR2', '█▁'],
      ],
    ]);
    for (const message of renderBlocks(r)) expect(checkBlockKitLimits(message)).toEqual([]);
    expect(JSON.stringify(renderCards(r))).toContain('**HCP-HR2** HR2 (2–2.5 year review) coverage');
    expect(renderHtml(r)).toContain('<span class="status kpi-on_track">on track</span>');
  });
});
