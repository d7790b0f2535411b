// Moved to src/domain/kpi-lines.ts (it builds the message model's KPI lines from domain data); this
// re-export keeps existing imports working.
export * from '../domain/kpi-lines.js';
