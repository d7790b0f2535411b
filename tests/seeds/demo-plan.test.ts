// Checks the Southampton demo seed (db/seeds/southampton-2024.yaml) against the plan-document schema
// and against the source document's structure (5 plans, 25 workstreams, 92 actions).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planDocumentSchema, type PlanDocument } from '../../src/importers/plan-document.js';

const seedPath = fileURLToPath(new URL('../../db/seeds/southampton-2024.yaml', import.meta.url));

/**
 * Bullet actions per workstream in the source (Southampton 2024 SEND post-inspection improvement plan),
 * counted by hand, in document order:
 *   ND  (4 workstreams): 4, 3, 5, 4             = 16
 *   TR  (7 workstreams): 1, 10, 3, 6, 3, 8, 1   = 32
 *   HCP (3 workstreams): 1, 9, 4                = 14
 *   QA  (5 workstreams): 3, 6, 2, 1, 3          = 15
 *   WD  (6 workstreams): 3, 1, 4, 1, 3, 3       = 15
 *                                         total = 92
 */
const ACTIONS_PER_WORKSTREAM: Record<string, number[]> = {
  ND: [4, 3, 5, 4],
  TR: [1, 10, 3, 6, 3, 8, 1],
  HCP: [1, 9, 4],
  QA: [3, 6, 2, 1, 3],
  WD: [3, 1, 4, 1, 3, 3],
};
const TOTAL_ACTIONS = 92;

/** Same match key the database uses for roles: lower-cased, whitespace collapsed. */
const key = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

function load(): PlanDocument {
  const raw: unknown = parse(readFileSync(seedPath, 'utf8'));
  const result = planDocumentSchema.safeParse(raw);
  if (!result.success) throw new Error(`seed does not validate:\n${JSON.stringify(result.error.issues, null, 2)}`);
  return result.data;
}

describe('Southampton 2024 demo seed', () => {
  const doc = load();
  const roleKeys = new Map<string, string>(); // key -> canonical role name
  for (const role of doc.roles) {
    for (const spelling of [role.name, ...role.aliases]) roleKeys.set(key(spelling), role.name);
  }
  const canonical = (spelling: string) => roleKeys.get(key(spelling));

  it('validates against planDocumentSchema', () => {
    expect(doc.partnership?.name).toBe('Southampton Local Area SEND Partnership');
    expect(doc.partnership?.timezone).toBe('Europe/London');
  });

  it('has the five plans in document order', () => {
    expect(doc.plans.map((p) => p.code)).toEqual(['ND', 'TR', 'HCP', 'QA', 'WD']);
    expect(doc.plans.map((p) => p.title)).toEqual([
      'Neurodiversity Waiting List Improvement Plan',
      'Transitions Improvement Plan',
      'Healthy Child Programme Improvement Plan',
      'Quality Assurance and Performance Improvement Plan',
      'Workforce Development Improvement Plan',
    ]);
  });

  it('has 25 workstreams and every bullet action from the source', () => {
    const workstreams = doc.plans.flatMap((p) => p.workstreams);
    expect(workstreams).toHaveLength(25);
    for (const plan of doc.plans) {
      expect(plan.workstreams.map((w) => w.actions.length), plan.code!).toEqual(ACTIONS_PER_WORKSTREAM[plan.code!]);
    }
    expect(workstreams.reduce((n, w) => n + w.actions.length, 0)).toBe(TOTAL_ACTIONS);
  });

  it('sets neither action numbers nor action due dates (position and text are used)', () => {
    for (const action of doc.plans.flatMap((p) => p.workstreams.flatMap((w) => w.actions))) {
      expect(action.number).toBeUndefined();
      expect(action.due).toBeUndefined();
    }
  });

  it('marks exactly the COMPLETED/COMPLETE actions as complete', () => {
    const actions = doc.plans.flatMap((p) => p.workstreams.flatMap((w) => w.actions));
    const byText = actions.filter((a) => /\bCOMPLETED?$/.test(a.text)).map((a) => a.text);
    const byStatus = actions.filter((a) => a.status === 'complete').map((a) => a.text);
    expect(byStatus).toEqual(byText);
    expect(byStatus).toHaveLength(2);
    for (const a of actions) if (a.status !== undefined) expect(a.status).toBe('complete');
  });

  it('names only known roles as leads, supporting roles and board chairs', () => {
    const unknown: string[] = [];
    for (const w of doc.plans.flatMap((p) => p.workstreams)) {
      for (const r of [w.lead, ...w.with]) if (r && !canonical(r)) unknown.push(`${w.title}: ${r}`);
    }
    for (const b of doc.boards) if (b.chair_role && !canonical(b.chair_role)) unknown.push(`board ${b.name}: ${b.chair_role}`);
    expect(unknown).toEqual([]);
    expect(doc.plans.flatMap((p) => p.workstreams).every((w) => w.lead)).toBe(true);
  });

  it('keeps role names and aliases unambiguous', () => {
    const seen = new Map<string, string>();
    for (const role of doc.roles) {
      for (const spelling of [role.name, ...role.aliases]) {
        const k = key(spelling);
        const owner = seen.get(k);
        // an alias differing only in case from its own role's name is harmless
        if (owner !== undefined) expect(owner, `"${spelling}" collides`).toBe(role.name);
        seen.set(k, role.name);
      }
    }
    expect(new Set(doc.roles.map((r) => key(r.name))).size).toBe(doc.roles.length);
  });

  it('points workstream and plan boards at defined boards', () => {
    const boards = new Set(doc.boards.map((b) => b.name));
    for (const p of doc.plans) {
      expect(boards.has(p.board!)).toBe(true);
      for (const w of p.workstreams) if (w.board) expect(boards.has(w.board)).toBe(true);
    }
  });

  it('has at least one person for every role, all with example.org emails', () => {
    const held = new Set(doc.people.flatMap((p) => p.roles.map((r) => canonical(r))));
    expect(doc.people.flatMap((p) => p.roles).filter((r) => !canonical(r))).toEqual([]);
    expect(doc.roles.map((r) => r.name).filter((name) => !held.has(name))).toEqual([]);
    for (const person of doc.people) expect(person.email).toMatch(/@example\.org$/);
    expect(new Set(doc.people.map((p) => p.email)).size).toBe(doc.people.length);
  });

  it('starts with the admin programme officer', () => {
    const first = doc.people[0]!;
    expect(first.admin).toBe(true);
    expect(first.weekly_digest).toBe(true);
    expect(first.roles).toContain('SEND Programme Officer');
  });

  it('has only sample meetings, including early December 2024 for the SEND Partnership Board', () => {
    const meetings = doc.boards.flatMap((b) => b.meetings);
    expect(meetings.length).toBeGreaterThan(0);
    expect(meetings.every((m) => m.sample)).toBe(true);
    const spb = doc.boards.find((b) => b.name === 'SEND Partnership Board')!;
    expect(spb.chair_role).toBe('Director of Children’s Services');
    expect(spb.meetings.map((m) => m.at)).toEqual(expect.arrayContaining(['2024-12-04T14:00', '2025-01-29T14:00']));
    for (const m of meetings) {
      const day = new Date(`${m.at.slice(0, 10)}T12:00:00Z`).getUTCDay();
      expect(day >= 1 && day <= 5, m.at).toBe(true);
    }
  });
});
