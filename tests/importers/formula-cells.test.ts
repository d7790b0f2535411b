import { describe, expect, it } from 'vitest';
import { checkFormulaText } from '../../src/importers/formula-cells.js';

describe('checkFormulaText: what a spreadsheet would run as a formula', () => {
  it.each([
    '=1+1',
    '=HYPERLINK("http://evil.example","Click")',
    '@SUM(1+1)',
    '@Head of SEND',
    '+SUM(A1:A3)',
    '+44 20 7946 0000',
    "-2+3+cmd|' /C calc'!A0",
    '-cmd|x',
    '--1',
    '-5 days',
    '=',
  ])('refuses %j', (text) => {
    const r = checkFormulaText(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/formula/);
  });

  it.each([
    ['-5', '-5'],
    ['+2.5%', '+2.5%'],
    ['-1,200', '-1,200'],
    ['-', '-'],
    ['- Relaunch the plan', '- Relaunch the plan'],
    ['+ new pilot', '+ new pilot'],
    ['-\tindented item', '-\tindented item'],
    ["'=not a formula", '=not a formula'],
    ["'-2 weeks", '-2 weeks'],
    ["'@team", '@team'],
    ["'quoted text'", "'quoted text'"],
    ['Cut waits -5% by March 2025', 'Cut waits -5% by March 2025'],
    ['Plan:\n- a\n=b', 'Plan:\n- a\n=b'],
    ['31 March 2025', '31 March 2025'],
  ])('keeps %j as text', (text, kept) => {
    expect(checkFormulaText(text)).toEqual({ ok: true, text: kept });
  });
});
