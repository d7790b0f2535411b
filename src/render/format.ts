// Moved to src/messages/format.ts (shared by the message model's builders and the renderers); this
// re-export keeps existing imports working.
export * from '../messages/format.js';
