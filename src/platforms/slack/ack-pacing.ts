// Keeps acknowledgements from running far ahead of the work they promise.
//
// A slash command is acknowledged first and worked on after (durable-inbox.ts). When callers send
// their next command as soon as the last is acknowledged — a burst, a busy channel, Slack's own
// retries — an app that acknowledges faster than it works builds a queue of acknowledged commands,
// and every reply waits behind it (at 20 in flight, reply p99 5× a bare Bolt app's). So a command
// is acknowledged at once while fewer than `maxBacklog` acknowledged commands are still being worked
// on; otherwise its acknowledgement waits for one of them to finish, so acks slow to the pace of the
// work and the queue stays short.
//
// But never for long: Slack gives up on an acknowledgement after 3 seconds, and a reply may come up
// to 30 minutes later. When the work cannot keep up at all (more commands arriving than the machine
// can do), each acknowledgement waits at most `maxWaitMs` and then goes anyway: the backlog grows,
// as it did without pacing, rather than the acknowledgements. (Bounding the queue without this cap
// let a steady 200 commands a second push acknowledgements past 3 s on a loaded machine.)
// The request is already in the durable inbox while it waits, so nothing is at risk.

export interface AckPacingOptions {
  /** Acknowledged commands being worked on before the next acknowledgement waits. */
  maxBacklog: number;
  /** The longest an acknowledgement waits for the backlog to shrink (ms). */
  maxWaitMs: number;
}

export const DEFAULT_ACK_PACING: AckPacingOptions = { maxBacklog: 4, maxWaitMs: 100 };

export interface AckPacing {
  /** Resolves when this command may be acknowledged. Pair with one `done()` when its work has finished. */
  admit(): Promise<void>;
  done(): void;
  /** Acknowledged commands whose work has not finished. */
  readonly backlog: number;
}

export function createAckPacing(options: AckPacingOptions = DEFAULT_ACK_PACING): AckPacing {
  let backlog = 0;
  const waiting: { let: () => void; timer: NodeJS.Timeout }[] = [];
  const admitNext = (): void => {
    while (waiting.length > 0 && backlog < options.maxBacklog) {
      const next = waiting.shift() as (typeof waiting)[number];
      clearTimeout(next.timer);
      next.let();
    }
  };
  return {
    get backlog() {
      return backlog;
    },
    admit() {
      if (backlog < options.maxBacklog && waiting.length === 0) {
        backlog += 1;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const entry = {
          let: () => {
            backlog += 1;
            resolve();
          },
          timer: setTimeout(() => {
            waiting.splice(waiting.indexOf(entry), 1);
            entry.let();
          }, options.maxWaitMs),
        };
        waiting.push(entry);
      });
    },
    done() {
      backlog = Math.max(0, backlog - 1);
      admitNext();
    },
  };
}
