import { describe, expect, it } from 'vitest';
import { describeKpiChart, niceTicks, renderKpiChart } from '../../src/render/kpi-chart.js';
import { assessment, hr1Series, reading, target } from '../helpers/kpi-series.js';

const TODAY = '2024-11-27';

/** The numbers in an SVG attribute list like points="1,2 3,4". */
function points(svg: string, cls: string): [number, number][] {
  const m = new RegExp(`class="${cls}" points="([^"]+)"`).exec(svg);
  if (!m?.[1]) return [];
  return m[1].split(' ').map((p) => p.split(',').map(Number) as [number, number]);
}

describe('renderKpiChart', () => {
  it('draws the readings against the trajectory, with today, a title and a description', () => {
    const series = hr1Series();
    const svg = renderKpiChart(series, assessment(series, { position: 'off_track', expected: 63.5 }), TODAY);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('role="img" aria-labelledby="kpi-HCP-HR1-title" aria-describedby="kpi-HCP-HR1-desc"');
    expect(svg).toContain('<title id="kpi-HCP-HR1-title">HR1 (12-month review) coverage: off track, latest 63.1%</title>');
    expect(svg).toContain(
      '<desc id="kpi-HCP-HR1-desc">Latest reading 63.1% for Q2 24/25 (to 30 Sep 2024). The trajectory expected 63.5% by then. Off track. ' +
        'Next target 65% by 31 Mar 2025. Baseline 62% (about two thirds). Higher is better. 2 readings; chart drawn on 27 Nov 2024.</desc>',
    );
    // Trajectory: the baseline, then both targets, left to right; 85% is drawn above 65%.
    const trajectory = points(svg, 'trajectory-line');
    expect(trajectory).toHaveLength(3);
    expect(trajectory.map(([x]) => x)).toEqual([...trajectory.map(([x]) => x)].sort((a, b) => a - b));
    const [, t65, t85] = trajectory;
    expect(t85?.[1]).toBeLessThan(t65?.[1] as number);
    // Two readings, the latest marked and labelled.
    expect(points(svg, 'reading-line')).toHaveLength(2);
    expect(svg.match(/<circle class="reading/g)).toHaveLength(2);
    expect(svg).toContain('<circle class="reading latest"');
    expect(svg).toMatch(/<text class="latest-label"[^>]*>63\.1%<\/text>/);
    expect(svg.match(/<path class="target"/g)).toHaveLength(2);
    expect(svg).toContain('>today</text>');
    expect(svg).toContain('trajectory and targets');
  });

  it('says "No reading yet" and still draws the trajectory when nothing has been recorded', () => {
    const series = hr1Series({ readings: [] });
    const svg = renderKpiChart(series, assessment(series), TODAY);
    expect(svg).toContain('>No reading yet</text>');
    expect(svg).not.toContain('<circle class="reading');
    expect(points(svg, 'trajectory-line')).toHaveLength(3);
    expect(svg).toContain('No reading has been recorded yet. No reading.');
  });

  it('leaves out a target whose date could not be read, and draws the rest', () => {
    const series = hr1Series({ trajectory: [target(65, '2025-03-31'), target(90, null, { byText: 'in due course', flags: ['unreadable'] })] });
    const svg = renderKpiChart(series, assessment(series), TODAY);
    expect(svg.match(/<path class="target"/g)).toHaveLength(1);
    expect(points(svg, 'trajectory-line')).toHaveLength(2);
  });

  it('escapes every string from the plan and from people', () => {
    const series = hr1Series({
      name: 'Waits <script>alert(1)</script> & "more"',
      code: 'ND-W"1',
      readings: [reading(20, '2024-10-31', { periodLabel: 'Oct <b>24</b>' })],
      baseline: { value: null, text: 'x < y', asOf: null },
    });
    const svg = renderKpiChart(series, assessment(series), TODAY);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('Waits &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');
    expect(svg).toContain('Oct &lt;b&gt;24&lt;/b&gt;: 20%');
    // Ids keep to letters, digits and dashes; the data attribute is escaped.
    expect(svg).toContain('aria-labelledby="kpi-ND-W-1-title" aria-describedby="kpi-ND-W-1-desc"');
    expect(svg).toContain('data-kpi="ND-W&quot;1"');
  });

  it('handles a lower-is-better wait in weeks, with one reading and no baseline', () => {
    const series = hr1Series({
      code: 'ND-WAIT',
      name: 'Median wait for an ND assessment',
      unit: 'weeks',
      direction: 'lower',
      baseline: { value: null, text: null, asOf: null },
      trajectory: [target(52, '2025-03-31', { targetText: '52 weeks' })],
      readings: [reading(71, '2024-10-31', { periodLabel: 'October 2024' })],
    });
    const svg = renderKpiChart(series, assessment(series, { position: 'off_track', expected: 60 }), TODAY, { id: 'wait' });
    expect(svg).toContain('Latest reading 71 weeks for October 2024');
    expect(svg).toContain('Lower is better. 1 reading;');
    expect(svg).not.toContain('class="reading-line"');
    expect(svg).not.toContain('class="trajectory-line"'); // one target and no baseline: nothing to join
    expect(svg).toContain('aria-labelledby="wait-title" aria-describedby="wait-desc"');
    // The value axis starts at zero or above and shows plain numbers.
    expect(svg).not.toMatch(/>-\d/);
  });

  it('the small size has no legend and is deterministic', () => {
    const series = hr1Series();
    const a = renderKpiChart(series, assessment(series), TODAY, { size: 'small', id: 'sm' });
    expect(a).toBe(renderKpiChart(series, assessment(series), TODAY, { size: 'small', id: 'sm' }));
    expect(a).toContain('viewBox="0 0 320 120"');
    expect(a).not.toContain('class="legend"');
  });

  it('copes with everything on one day (no zero-width axis)', () => {
    const series = hr1Series({ baseline: { value: 50, text: null, asOf: TODAY }, trajectory: [target(50, TODAY)], readings: [reading(50, TODAY)] });
    const svg = renderKpiChart(series, assessment(series), TODAY);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe('a KPI with nothing to draw', () => {
  it('is a short strip that says so, still named and described for screen readers', () => {
    const series = hr1Series({ readings: [], trajectory: [], baseline: { value: null, text: 'not yet measured', asOf: null } });
    const svg = renderKpiChart(series, assessment(series), TODAY);
    expect(svg).toContain('class="kpi-chart kpi-chart-empty"');
    expect(svg).toContain('<title id="kpi-HCP-HR1-title">HR1 (12-month review) coverage: nothing to chart yet</title>');
    expect(svg).toContain('Baseline: not yet measured.');
    expect(svg).toContain('nothing to chart.</text>');
    expect(svg).not.toContain('<polyline');
  });
});

describe('describeKpiChart', () => {
  it('says what the reading was judged against when the plan sets no trajectory', () => {
    const series = hr1Series({ trajectory: [] });
    expect(describeKpiChart(series, assessment(series, { expected: 62, basis: 'baseline', nextTarget: null }), TODAY)).toContain('No trajectory is set; the baseline is 62%.');
    expect(describeKpiChart(series, assessment(series, { expected: 62.5, basis: 'first_reading', nextTarget: null }), TODAY)).toContain('No trajectory is set; the first reading was 62.5%.');
  });

  it('names the next target by its date, or by the words when the date is unknown', () => {
    const series = hr1Series();
    expect(describeKpiChart(series, assessment(series, { nextTarget: target(70, null, { byText: 'next year' }) }), TODAY)).toContain('Next target 70% by next year.');
  });
});

describe('niceTicks', () => {
  it('picks round steps', () => {
    expect(niceTicks(50, 90)).toEqual([50, 60, 70, 80, 90]);
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });
});
