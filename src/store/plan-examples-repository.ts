// What the loaded plan offers help and refusals as examples: a few actions, the caller's own open
// action, a KPI code and a lead role. src/domain/plan-examples.ts chooses among them.
import type { KpiFrequency, KpiUnit } from '../domain/kpi-types.js';
import { choosePlanExamples, type PlanExampleFacts, type PlanExamples } from '../domain/plan-examples.js';
import { ACCOUNTABLE_FOR_PERSON_SQL } from './actions-repository.js';
import { cachedStatement, type Db } from './database.js';

const LIVE_ACTIONS = `from actions a join workstreams w on w.id = a.workstream_id join plans p on p.id = w.plan_id
  where a.removed_at is null and w.removed_at is null`;
const PLAN_ORDER = 'order by p.position, p.code, w.number, a.number';

/** Reads the facts; `personId` is the caller, whose own open action is preferred in update examples. */
export function loadPlanExampleFacts(db: Db, personId?: number): PlanExampleFacts {
  const actions = cachedStatement(db, `select a.ref, a.text ${LIVE_ACTIONS} ${PLAN_ORDER} limit 5`).all() as { ref: string; text: string }[];
  const ownAction =
    personId === undefined
      ? undefined
      : (cachedStatement(db, `select a.ref, a.text ${LIVE_ACTIONS} and a.status != 'blue' and a.id in (${ACCOUNTABLE_FOR_PERSON_SQL}) ${PLAN_ORDER} limit 1`).get(personId, personId) as
          | { ref: string; text: string }
          | undefined);
  const kpi = cachedStatement(db, 'select code, unit, frequency from kpis where removed_at is null and code is not null order by plan_id, position, id limit 1').get() as
    | { code: string; unit: KpiUnit; frequency: KpiFrequency }
    | undefined;
  const role = cachedStatement(
    db,
    'select r.name from workstreams w join plans p on p.id = w.plan_id join roles r on r.id = w.lead_role_id where w.removed_at is null order by p.position, p.code, w.number limit 1',
  ).get() as { name: string } | undefined;
  const board = cachedStatement(db, 'select name from boards order by id limit 1').get() as { name: string } | undefined;
  return { actions, ownAction: ownAction ?? null, kpi: kpi ?? null, roleName: role?.name ?? null, boardName: board?.name ?? null };
}

/** The examples to quote to this caller today. */
export function loadPlanExamples(db: Db, today: string, personId?: number): PlanExamples {
  return choosePlanExamples(loadPlanExampleFacts(db, personId), today);
}
