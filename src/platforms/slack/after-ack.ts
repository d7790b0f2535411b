// The work a listener does after acknowledging (identify the caller, run the command, render) is
// queued and let through one request per turn of the event loop. ack() only queues Bolt's HTTP
// response, so waiting for a turn lets it reach the socket before that work runs; and taking the
// queue one item per turn puts the event loop's I/O phase (reading and acknowledging the next
// requests) between any two requests' work. Without the queue, every request that arrived together
// had its work run back to back in one turn, and 20 in flight meant an acknowledgement could wait
// for 20 commands' work before its request was even read.
//
// Only the synchronous stretch of each item's work is serialised: once it awaits (posting the
// reply, a Slack API call) the next item gets its turn.
//
// The queue is bounded: when more than MAX_WAITING requests' work is waiting, a turn lets through
// enough of it to get back to the bound before the next requests are read. Acknowledging first
// without a bound made a closed loop of callers (each sending its next request once acknowledged)
// outrun the work: acks at about twice bare Bolt's rate and replies queued behind them, 5× bare
// Bolt's reply time at 20 in flight. With the bound, acknowledgements still go first while the
// backlog is short, and slow down to the pace of the work when it is not.
// Measured at 20 in flight (bench/suite/e2e-part.ts): unbounded, reply p99 4.2× bare Bolt's; bounded
// at 2, 0.8–1.05× with ack p99 0.7–0.9×; at 4 or 16, worse than at 2 on both counts.
export const MAX_WAITING = 2;
const waiting: (() => void)[] = [];
let scheduled = false;

function nextTurn(): void {
  scheduled = false;
  const take = Math.max(1, waiting.length - MAX_WAITING);
  const released = waiting.splice(0, take);
  if (waiting.length > 0) {
    scheduled = true;
    setImmediate(nextTurn);
  }
  // Resolving runs each waiting listener's continuation as a microtask, right after this callback,
  // in arrival order.
  for (const release of released) release();
}

/** Resolves on the listener's own turn, after the acknowledgement has been written. */
export function afterAck(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) {
      scheduled = true;
      setImmediate(nextTurn);
    }
  });
}
