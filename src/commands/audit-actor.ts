import type { CommandContext } from './types.js';

/**
 * Who did it, for an audit row: the person, and the platform account the request came from. The
 * account matters because a person is found by their platform id, or by email the first time: the
 * row shows which account acted, not only whom it was taken to be.
 */
export function auditActor(ctx: CommandContext): { actorPersonId: number; platform: string; platformUserId: string | null } {
  return { actorPersonId: ctx.caller.id, platform: ctx.platform, platformUserId: ctx.platformUserId ?? null };
}
