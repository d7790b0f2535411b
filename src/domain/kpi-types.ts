// The shape of a KPI as the rest of sendbot sees it: what the digest, the dashboard's charts, the
// chat replies and the exports read. The store builds these; domain/kpi-* functions judge them.
// Plain data, no I/O: a chart or a digest line is a function of a KpiSeries and "today".
import type { KpiPosition } from '../messages/reply.js';

/** What a value counts. `percent` values are 0–100. */
export type KpiUnit = 'percent' | 'weeks' | 'days' | 'count' | 'number';

/** Which way is better: coverage goes up, waiting times come down. */
export type KpiDirection = 'higher' | 'lower';

/**
 * How often a KPI is reported, which sets its periods: calendar months, financial quarters
 * (Q1 = April–June) or financial years (April–March). See src/domain/kpi-periods.ts.
 */
export type KpiFrequency = 'monthly' | 'quarterly' | 'annual';

/** One point on a KPI's trajectory, e.g. "65% by March 25". */
export interface KpiTrajectoryPoint {
  target: number;
  /** The target and date exactly as the plan wrote them ("65%", "March 25"). */
  targetText: string;
  byText: string;
  /** Read with the deadline reader: the day the target should be met; null when unreadable (then flagged). */
  due: string | null;
  /** Start of the period for "in 2025/26"-style targets, else null. */
  start: string | null;
  flags: string[];
}

/** A recorded value for a period. Append-only: a correction is a newer reading for the same period. */
export interface KpiReading {
  id: number;
  value: number;
  /** The period as the person wrote or the bot derived it ("Q3 24/25", "November 2024"). */
  periodLabel: string;
  /** ISO date the reading is for (the period's last day): the x position on a chart. */
  periodEnd: string;
  /** ISO instant (UTC) the reading was recorded. */
  recordedAt: string;
  /** Name of the person who recorded it; null for imports. Never shown on the public view. */
  recordedBy: string | null;
  note: string | null;
  platform: string;
  /** First day of the period, when it has one (a month, quarter, year or range); null for a single day. */
  periodStart?: string | null;
  /** True for the demo's illustrative readings: never a real published figure. */
  isSample?: boolean;
}

export interface KpiSeries {
  id: number;
  /** Short stable code people type: `/send kpi HCP-HR1 63%`. */
  code: string;
  name: string;
  planCode: string;
  planTitle: string;
  /** Workstream number within the plan, when the KPI belongs to one. */
  workstreamNumber: number | null;
  ownerRole: string | null;
  unit: KpiUnit;
  direction: KpiDirection;
  baseline: { value: number | null; text: string | null; asOf: string | null };
  /** Ordered by due date. */
  trajectory: KpiTrajectoryPoint[];
  /** Oldest period first; for a period read twice, only the latest reading is kept here. */
  readings: KpiReading[];
  /** How often it is reported (sets which period's reading is due); the store always sets it. Default monthly. */
  frequency?: KpiFrequency;
  /** Title of the workstream it belongs to, when it belongs to one. */
  workstreamTitle?: string | null;
}

/** Where a KPI stands against its trajectory. */
export type { KpiPosition };

/**
 * A KPI judged against its trajectory on a given day: `assessKpi(series, today)` in
 * src/domain/kpi-assessment.ts builds it; the digest, chat and dashboard all show this one verdict.
 */
export interface KpiAssessment {
  position: KpiPosition;
  /** The latest reading, or null when none has been recorded. */
  latest: KpiReading | null;
  /** What the trajectory expects at the latest reading's period end; null when no target applies yet. */
  expected: number | null;
  /** The next trajectory point due on or after today, if any. */
  nextTarget: KpiTrajectoryPoint | null;
  /**
   * The period whose reading is expected by today (its figure was due by the end of the month after
   * it ended). `position` is 'no_reading' when the latest reading is for an earlier period.
   */
  duePeriod: { label: string; start: string; end: string };
  /**
   * What `expected` was worked out from: the trajectory; the baseline (no trajectory: "no worse than
   * the baseline"); the first reading (neither: "no worse than where the readings started"); null
   * when there is no reading.
   */
  basis: 'trajectory' | 'baseline' | 'first_reading' | null;
  /** latest.value − expected, in the KPI's unit; null when either is missing. */
  gap: number | null;
}
