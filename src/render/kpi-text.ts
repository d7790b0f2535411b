// Moved to src/messages/kpi-text.ts (plain-text KPI words shared by domain builders and renderers);
// this re-export keeps existing imports working.
export * from '../messages/kpi-text.js';
