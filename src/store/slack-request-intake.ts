// Taking in a verified Slack request: its signature goes into the replay cache and, when it is
// acknowledged before its work (slash commands, buttons that write), its body into the durable
// inbox — in one transaction. One commit instead of two keeps the acknowledgement path at a single
// WAL append, and a replayed request is never stored in the inbox.
import { type Db, inTransaction } from './database.js';
import { addToInbox } from './slack-inbox-repository.js';
import { rememberSlackSignature } from './slack-replay-cache-repository.js';
import { storeCall, withConnection } from './unit-of-work.js';

export interface SlackIntake {
  signature: string;
  /** Unix seconds after which the signature need not be remembered. */
  expiresAt: number;
  nowSeconds: number;
  /** For requests the durable inbox must hold: when it arrived (stored instant) and the parsed body as JSON. */
  inbox?: { receivedAt: string; body: string };
}

export type IntakeResult = { replayed: true } | { replayed: false; inboxId?: number };

/** Remembers the signature (refusing a replay) and stores the inbox row, committed together. */
export function acceptSlackRequest(db: Db, intake: SlackIntake): Promise<IntakeResult> {
  return withConnection(db, async () => {
    const { signature, expiresAt, nowSeconds, inbox } = intake;
    if (!inbox) return await rememberSlackSignature(db, signature, expiresAt, nowSeconds) ? { replayed: false } : { replayed: true };
    return await inTransaction(db, async (): Promise<IntakeResult> => {
      if (!await rememberSlackSignature(db, signature, expiresAt, nowSeconds)) return { replayed: true };
      return { replayed: false, inboxId: await addToInbox(db, inbox.receivedAt, inbox.body) };
    });
  });
}
