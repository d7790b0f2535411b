// The work a listener does after acknowledging (identify the caller, run the command, render) is
// queued and let through in batches, one batch per turn of the event loop, each batch about
// BATCH_BUDGET_MS of work. ack() only queues Bolt's HTTP response, so waiting for a turn lets it
// reach the socket before that work runs; and a bounded batch per turn puts the event loop's I/O
// phase (reading and acknowledging the next requests) between any two batches.
//
// Why batches and a budget, measured both ways:
//   - one request's work per turn (the round-2 queue) kept acknowledgements fast but let them run
//     ahead of the work: with 20 callers in a closed loop, sendbot acknowledged 1,574 a second and
//     answered 699, so replies queued (reply p99 432 ms against the bare Bolt app's 49 ms);
//   - everything waiting in one turn kept replies level with acknowledgements (reply p99 about the
//     bare app's) but, when the machine cannot keep up with the requests arriving (an open-loop
//     200 a second on a loaded machine), each turn's work grew with the backlog and
//     acknowledgements waited behind it, up to 23 s, past Slack's 3 s.
// With the budget, a turn lets through what arrived since the last one while the work keeps up; when
// it cannot keep up, work is held to about BATCH_BUDGET_MS a turn and the backlog waits instead of
// the acknowledgements (Slack allows 30 minutes for the reply and 3 seconds for the acknowledgement).
//
// The batch size comes from the measured cost of the work let through in earlier turns: Node runs
// microtasks between two setImmediate callbacks, so a second callback queued behind the one that
// releases the batch runs once the batch's synchronous work is done, and measures it. The cost is
// the process's CPU time, not the wall clock: on a machine shared with other work the wall clock
// also counts the time this process was not running, and a batch sized by it fell behind a closed
// loop of 20 callers again (reply p99 3.3-4.3x bare Bolt at load 5). Only the synchronous stretch
// counts: once an item awaits real I/O (posting the reply, a Slack API call) the rest of it runs
// with the I/O callbacks.
/** About how much work (ms) one turn of the event loop lets through, when more is waiting. */
export const BATCH_BUDGET_MS = 20;

export class AfterAckQueue {
  readonly #waiting: (() => void)[] = [];
  #scheduled = false;
  /** Estimated milliseconds of synchronous work per item, from the batches timed so far. */
  #perItemMs: number;
  #released = 0;
  #releasedCpu: NodeJS.CpuUsage = { user: 0, system: 0 };

  constructor(private readonly budgetMs = BATCH_BUDGET_MS) {
    // Until a batch has been timed, assume a quarter of the budget each: the first batch after a
    // quiet spell holds at most four items of unknown cost.
    this.#perItemMs = budgetMs / 4;
  }

  /** Resolves on the listener's own turn, after the acknowledgement has been written. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      if (!this.#scheduled) this.#schedule();
    });
  }

  #schedule(): void {
    this.#scheduled = true;
    setImmediate(this.#releaseBatch);
    // Runs after the batch's microtasks (its synchronous work), in the same check phase.
    setImmediate(this.#timeBatch);
  }

  readonly #releaseBatch = (): void => {
    const count = Math.max(1, Math.min(this.#waiting.length, Math.floor(this.budgetMs / this.#perItemMs)));
    this.#released = count;
    this.#releasedCpu = process.cpuUsage();
    // Resolving runs each waiting listener's continuation as a microtask, right after this callback.
    for (const release of this.#waiting.splice(0, count)) release();
  };

  readonly #timeBatch = (): void => {
    const used = process.cpuUsage(this.#releasedCpu);
    const perItem = (used.user + used.system) / 1000 / this.#released;
    // Half old, half new: follows a change of workload (a burst of `mine` at 100k) within a few turns.
    this.#perItemMs = Math.max(0.01, (this.#perItemMs + perItem) / 2);
    this.#scheduled = false;
    if (this.#waiting.length > 0) this.#schedule();
  };
}

const queue = new AfterAckQueue();

/** Resolves on the listener's own turn, after the acknowledgement has been written. */
export function afterAck(): Promise<void> {
  return queue.wait();
}
