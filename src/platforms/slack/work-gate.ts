// What happens to acknowledged Slack work when the app stops (SIGTERM on a redeploy, a scale-down).
//
// Before this gate, the shutdown closed the database under commands that were acknowledged and
// still waiting for their turn (after-ack.ts): each then failed, the person was told "Sorry, that
// failed", and the next start replayed the command anyway, so they got a sorry and then the answer.
// Now, once stop() is called:
//   - work that has started is waited for (up to a limit), so it finishes on an open database;
//   - work that has not started is not started: its inbox row is left pending with its lease
//     released, so the next sweep (another instance's within 5 s, or this one's on its next
//     start) runs it once and answers through the response_url. The person hears nothing twice.
import { afterAck } from './after-ack.js';
import type { InboxContext } from './durable-inbox.js';

/** How long stop() waits for work that has started before the database is closed anyway. */
export const DEFAULT_DRAIN_MS = 10_000;

export class WorkGate {
  #stopping = false;
  readonly #running = new Set<Promise<unknown>>();

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Counts a request's handling (the inbox middleware's `next()`) until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const forget = () => this.#running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * A listener's turn after its acknowledgement. False when the app is stopping and the request has
   * an inbox row: the listener must return without doing anything, and the row is left for a replay.
   */
  async turn(context: InboxContext): Promise<boolean> {
    await afterAck();
    if (!this.#stopping || context.inboxId === undefined) return true;
    context.inboxLeftForReplay = true;
    context.inboxSettled = true;
    return false;
  }

  /** Starts no more inboxed work and waits, at most `drainMs`, for what has started. */
  async stop(drainMs = DEFAULT_DRAIN_MS): Promise<{ unfinished: number }> {
    this.#stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, drainMs);
    });
    await Promise.race([Promise.allSettled([...this.#running]), limit]);
    clearTimeout(timer);
    return { unfinished: this.#running.size };
  }
}
