// When an undelivered message is no longer worth sending: a nudge or digest after its meeting has
// started (or the meeting was cancelled), anything else once its relevance window has closed.

export interface OpenMessage {
  meetingId: number | null;
  expiresAt: string | null;
}

/** The reason to skip the row, or null to keep it. `meetingStarts` holds every non-cancelled meeting. */
export function staleReason(row: OpenMessage, meetingStarts: ReadonlyMap<number, string>, nowUtc: string): string | null {
  if (row.meetingId !== null) {
    const startsAt = meetingStarts.get(row.meetingId);
    if (startsAt === undefined) return 'meeting was cancelled';
    if (startsAt <= nowUtc) return 'meeting has passed';
  }
  if (row.expiresAt !== null && row.expiresAt <= nowUtc) return 'no longer relevant';
  return null;
}
