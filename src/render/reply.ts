// Moved to src/messages/reply.ts (the message model sits below domain and render); this re-export
// keeps existing imports working.
export * from '../messages/reply.js';
