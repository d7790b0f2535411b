// Micro-benchmark of the deadline reader: median µs per call of findDeadlineInText and readDeadline on a
// realistic mix (the Southampton seed's action texts and due cells, generated action texts with and
// without a date phrase, generated due cells).
//
//   node --import tsx bench/deadlines-bench.ts            (add --cpu-prof to profile)
//   BENCH_ROUNDS=50 node --import tsx bench/deadlines-bench.ts
//
// Written without top-level await, so it runs as a .ts file under tsx.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hrtime } from 'node:process';
import { parse } from 'yaml';
import type { DeadlineContext, SchoolTerm } from '../src/domain/deadline-types.js';
import { findDeadlineInText, readDeadline } from '../src/domain/deadlines.js';

interface ProseCase {
  text: string;
  ctx: DeadlineContext;
}
interface CellCase {
  text: string;
  ctx: DeadlineContext;
}

const REFERENCE = '2024-08-27';
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 30);

// ---------------------------------------------------------------------------------------------------
// Inputs.

function seedCases(): { prose: ProseCase[]; cells: CellCase[] } {
  const path = fileURLToPath(new URL('../db/seeds/southampton-2024.yaml', import.meta.url));
  const doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const partnership = (doc['partnership'] ?? {}) as { school_terms?: SchoolTerm[] };
  const terms = partnership.school_terms;
  const prose: ProseCase[] = [];
  const cells: CellCase[] = [];
  // Walk the whole document: every object with `actions` is a workstream whose `due` is a cell.
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['actions'])) {
      const due = typeof o['due'] === 'string' ? o['due'] : '';
      const base: DeadlineContext = { reference: REFERENCE, ...(terms ? { terms } : {}) };
      const window = due ? readDeadline(due, base) : null;
      if (due) cells.push({ text: due, ctx: base });
      const ctx: DeadlineContext = window ? { ...base, window: { start: window.start, due: window.due } } : base;
      for (const a of o['actions'] as unknown[]) {
        const text = typeof a === 'string' ? a : a && typeof a === 'object' ? (a as Record<string, unknown>)['text'] : undefined;
        if (typeof text === 'string') prose.push({ text, ctx });
      }
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(doc);
  return { prose, cells };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'July', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const WORDS = 'Review Develop Implement Embed Evaluate Co-produce Launch Audit Map Train Publish Agree Commission Monitor Pilot Extend'.split(' ');
const TOPICS =
  'neurodiversity profiling tool; annual health checks; EHCP quality; transition pathways; short breaks; parent carer forum; autism in schools; waiting list risk; health visiting coverage; SENCo training; reduced timetables; preparation for adulthood; local offer website; speech and language therapy; alternative provision'.split('; ');
const TAILS = [
  'work with partners across the city',
  'working with schools, health and care services to improve outcomes for children and young people',
  'and report progress to the partnership board with evidence of impact',
  'co-produced with parent carers and young people, building on the learning from the pilot',
];
const DATE_PHRASES = [
  (y: number, m: number) => `by ${MONTHS[m]} ${y % 100}`,
  (y: number, m: number) => `from ${MONTHS[m]} ${y}`,
  (y: number) => `by end of March ${y + 1}`,
  (y: number) => `in ${y}/${(y + 1) % 100}`,
  (y: number) => `by Summer term ${y + 1}`,
  (y: number, m: number) => `– ${MONTHS[m]} ${y % 100} – ${MONTHS[(m + 3) % 12]} ${(y + (m + 3 >= 12 ? 1 : 0)) % 100}`,
  () => 'COMPLETED',
  (y: number) => `Q3 ${y % 100}/${(y + 1) % 100}`,
];

function generatedProse(n: number): { dated: ProseCase[]; undated: ProseCase[] } {
  const ctx: DeadlineContext = { reference: REFERENCE, window: { start: '2024-09-01', due: '2025-03-31' } };
  const dated: ProseCase[] = [];
  const undated: ProseCase[] = [];
  for (let i = 0; i < n; i += 1) {
    const verb = WORDS[i % WORDS.length] as string;
    const topic = TOPICS[(i * 7) % TOPICS.length] as string;
    const tail = TAILS[i % TAILS.length] as string;
    const y = 2024 + (i % 2);
    const m = (i * 5) % 12;
    const phrase = (DATE_PHRASES[i % DATE_PHRASES.length] as (y: number, m: number) => string)(y, m);
    dated.push({ text: `${verb} the ${topic} ${tail}, action ${i + 1} ${phrase}`, ctx });
    undated.push({ text: `${verb} the ${topic} ${tail}, including quality assurance and support for families (${i + 1})`, ctx });
  }
  return { dated, undated };
}

const DATE_CELLS = [
  (y: number, m: number) => `${MONTHS[m]} ${y % 100}`,
  (y: number) => `31 March ${(y + 1) % 100}`,
  (y: number) => `Ongoing - to 31 March ${(y + 1) % 100}`,
  (y: number, m: number) => `${MONTHS[m]} ${y % 100} – ${MONTHS[(m + 6) % 12]} ${(y + (m + 6 >= 12 ? 1 : 0)) % 100}`,
  (y: number) => `Summer term ${y + 1}`,
  (y: number) => `${y}/${(y + 1) % 100}`,
];

function generatedCells(n: number): CellCase[] {
  const out: CellCase[] = [];
  for (let i = 0; i < n; i += 1) {
    const f = DATE_CELLS[i % DATE_CELLS.length] as (y: number, m: number) => string;
    out.push({ text: f(2024 + (i % 2), (i * 5) % 12), ctx: { reference: REFERENCE } });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Timing: every call timed on its own, after a warm-up; median over all calls of all rounds.

let sink = 0;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
}

function bench<T extends { text: string; ctx: DeadlineContext }>(
  label: string,
  cases: T[],
  fn: (c: T) => unknown,
): number {
  for (let r = 0; r < 5; r += 1) for (const c of cases) sink += fn(c) ? 1 : 0; // warm-up
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const c of cases) {
      const t0 = hrtime.bigint();
      const res = fn(c);
      const t1 = hrtime.bigint();
      sink += res ? 1 : 0;
      samples.push(Number(t1 - t0) / 1000);
    }
  }
  const med = median(samples);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  console.log(
    `${label.padEnd(44)} n=${String(cases.length).padStart(5)}  median ${med.toFixed(2).padStart(8)} µs  ` +
      `p90 ${percentile(samples, 0.9).toFixed(2).padStart(8)} µs  mean ${mean.toFixed(2).padStart(8)} µs`,
  );
  return med;
}

const seed = seedCases();
const gen = generatedProse(600);
const prose = (c: ProseCase): unknown => findDeadlineInText(c.text, c.ctx);
const cell = (c: CellCase): unknown => readDeadline(c.text, c.ctx);

console.log(`deadlines bench: ${ROUNDS} rounds, each call timed on its own (µs per call)`);
bench('findDeadlineInText: seed action texts', seed.prose, prose);
bench('findDeadlineInText: generated, with date', gen.dated, prose);
bench('findDeadlineInText: generated, no date', gen.undated, prose);
const mixProse = [...seed.prose, ...gen.dated, ...gen.undated];
bench('findDeadlineInText: MIX (all of the above)', mixProse, prose);
bench('readDeadline: seed due cells', seed.cells, cell);
bench('readDeadline: generated cells', generatedCells(120), cell);
bench("readDeadline: 'Ongoing - to 31 March 25'", [{ text: 'Ongoing - to 31 March 25', ctx: { reference: REFERENCE } }], cell);
bench('readDeadline: MIX (seed + generated)', [...seed.cells, ...generatedCells(120)], cell);

// Huge inputs (the "never throws" test): one call each.
const huge = 'Sept 24 – Dec 24 by year end (25/26) '.repeat(20_000);
const spaces = 'March' + ' '.repeat(200_000) + '2025';
for (const [label, text] of [['huge repeated phrase', huge], ['200k spaces', spaces]] as const) {
  const t0 = hrtime.bigint();
  readDeadline(text);
  findDeadlineInText(text);
  console.log(`huge input: ${label.padEnd(22)} ${(Number(hrtime.bigint() - t0) / 1e6).toFixed(1)} ms (readDeadline + findDeadlineInText)`);
}
if (sink < 0) console.log(sink);
