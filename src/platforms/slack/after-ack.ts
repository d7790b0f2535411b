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
const waiting: (() => void)[] = [];
let scheduled = false;

function nextTurn(): void {
  scheduled = false;
  const release = waiting.shift();
  if (waiting.length > 0) {
    scheduled = true;
    setImmediate(nextTurn);
  }
  // Resolving runs the waiting listener's continuation as a microtask, right after this callback.
  release?.();
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
