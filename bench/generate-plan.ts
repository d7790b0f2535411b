// Generates large, realistic-looking plans for benchmarks: many plans and boards, workstreams with
// loosely written UK dates, actions with "by …" phrases, people holding every role.
import type { PlanDocument } from '../src/importers/plan-document.js';
import { planDocumentSchema } from '../src/importers/plan-document.js';

export interface GenerateOptions {
  actions: number;
  boards?: number;
  actionsPerWorkstream?: number;
  workstreamsPerPlan?: number;
  /** Meetings per board, every 6 weeks from the start date. */
  meetingsPerBoard?: number;
  start?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'July', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const DATE_CELLS = [
  (y: number, m: number) => `${MONTHS[m]} ${y % 100}`,
  (y: number, m: number) => `31 March ${(y + 1) % 100}`,
  (y: number, m: number) => `Ongoing - to 31 March ${(y + 1) % 100}`,
  (y: number, m: number) => `${MONTHS[m]} ${y % 100} – ${MONTHS[(m + 6) % 12]} ${(y + (m + 6 >= 12 ? 1 : 0)) % 100}`,
  (y: number) => `Summer term ${y + 1}`,
  (y: number) => `${y}/${(y + 1) % 100}`,
];
const WORDS = 'review develop implement embed evaluate co-produce launch audit map train publish agree commission monitor pilot extend'.split(' ');
const TOPICS =
  'neurodiversity profiling tool; annual health checks; EHCP quality; transition pathways; short breaks; parent carer forum; autism in schools; waiting list risk; health visiting coverage; SENCo training; reduced timetables; preparation for adulthood; local offer website; speech and language therapy; alternative provision'.split('; ');

export function generatePlanDocument(options: GenerateOptions): PlanDocument {
  const boards = options.boards ?? 20;
  const perWs = options.actionsPerWorkstream ?? 5;
  const wsPerPlan = options.workstreamsPerPlan ?? 10;
  const meetingsPerBoard = options.meetingsPerBoard ?? 12;
  const startYear = Number((options.start ?? '2024-09-01').slice(0, 4));
  const workstreams = Math.ceil(options.actions / perWs);
  const planCount = Math.ceil(workstreams / wsPerPlan);
  const roleCount = Math.max(10, Math.min(2000, Math.ceil(workstreams / 4)));
  const roles = Array.from({ length: roleCount }, (_, i) => `Lead Role ${i + 1}`);

  const boardDocs = Array.from({ length: boards }, (_, b) => ({
    name: `Board ${b + 1}`,
    chair_role: `Chair of Board ${b + 1}`,
    slack_channel: `CBOARD${b + 1}`,
    meetings: Array.from({ length: meetingsPerBoard }, (_, m) => {
      const day = new Date(Date.UTC(startYear, 8, 2 + (b % 5)) + m * 42 * 86_400_000);
      return { at: `${day.toISOString().slice(0, 10)}T14:00`, sample: true };
    }),
  }));

  let made = 0;
  const plans = Array.from({ length: planCount }, (_, p) => {
    const ws = [];
    for (let w = 0; w < wsPerPlan && made < options.actions; w += 1) {
      const seq = p * wsPerPlan + w;
      const month = seq % 12;
      const actions = [];
      for (let a = 0; a < perWs && made < options.actions; a += 1) {
        const topic = TOPICS[(seq + a) % TOPICS.length] as string;
        const verb = WORDS[(seq * 7 + a) % WORDS.length] as string;
        const by = a % 3 === 0 ? ` by ${MONTHS[(month + a) % 12]} ${(startYear + 1) % 100}` : '';
        actions.push({ text: `${verb[0]?.toUpperCase()}${verb.slice(1)} the ${topic} work with partners across the city, action ${made + 1}${by}` });
        made += 1;
      }
      ws.push({
        title: `${TOPICS[seq % TOPICS.length]} workstream ${seq + 1}`,
        lead: roles[seq % roleCount] as string,
        with: [roles[(seq + 1) % roleCount] as string],
        due: (DATE_CELLS[seq % DATE_CELLS.length] as (y: number, m: number) => string)(startYear, month),
        actions,
      });
    }
    return { code: `P${p + 1}`, title: `Improvement plan ${p + 1}`, board: `Board ${(p % boards) + 1}`, workstreams: ws };
  });

  const people = [
    { name: 'Bench Admin', email: 'admin@example.org', roles: ['Programme Officer'], admin: true, slack_user_id: 'UADMIN' },
    ...roles.map((r, i) => ({ name: `Person ${i + 1}`, email: `person${i + 1}@example.org`, roles: [r], slack_user_id: `UP${i + 1}` })),
    ...boardDocs.map((b, i) => ({ name: `Chair ${i + 1}`, email: `chair${i + 1}@example.org`, roles: [b.chair_role], slack_user_id: `UC${i + 1}` })),
  ];
  return planDocumentSchema.parse({
    partnership: { name: 'Benchmark Partnership' },
    boards: boardDocs,
    people,
    plans,
  });
}

/** The same plan as one CSV row per action (plan's own headings; blank cells inherit). */
export function planToCsv(doc: PlanDocument): string {
  const esc = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['Improvement Plan,Plan Code,Board,Strategic Workstream Priority,Accountable Lead,With,Date of Completion,Key Actions'];
  for (const plan of doc.plans) {
    plan.workstreams.forEach((ws, w) => {
      ws.actions.forEach((a, i) => {
        const first = i === 0;
        lines.push(
          [
            w === 0 && first ? plan.title : '',
            w === 0 && first ? (plan.code ?? '') : '',
            w === 0 && first ? (plan.board ?? '') : '',
            first ? ws.title : '',
            first ? (ws.lead ?? '') : '',
            first ? ws.with.join('; ') : '',
            first ? (ws.due ?? '') : '',
            a.text,
          ]
            .map(esc)
            .join(','),
        );
      });
    });
  }
  return `${lines.join('\n')}\n`;
}
