// Keeps slash-command acknowledgements from running far ahead of the work they promise.
//
// A slash command is acknowledged first and worked on after (durable-inbox.ts). When commands come
// faster than the work — a burst, a busy channel, a client that sends its next command as soon as
// the last is acknowledged — an app that acknowledges at once builds a queue of acknowledged
// commands, and every reply waits behind it: at 20 in flight, reply p99 was 5× a bare Bolt app's
// while the acknowledgements looked fast. So:
//   - while fewer than `maxBacklog` acknowledged commands are being worked on, a command is
//     acknowledged at once (the usual case: nothing waits);
//   - otherwise its acknowledgement waits for one of them to finish, so acknowledgements slow to
//     the pace of the work and the reply queue stays short;
//   - but never for long, and never for many: Slack gives up on an acknowledgement after 3 seconds,
//     and every held acknowledgement holds a connection (the HTTP server allows 64 per client
//     address). An acknowledgement waits at most `maxWaitMs`, and once `maxHeld` are waiting the
//     next goes at once. When the work cannot keep up at all, the backlog grows, as it did without
//     pacing, rather than the acknowledgements or the connections.
// The request is in the durable inbox before any of this, so a held acknowledgement risks nothing.

export interface AckPacingOptions {
  /** Acknowledged commands being worked on before the next acknowledgement waits. */
  maxBacklog: number;
  /** Acknowledgements held at once, at most; more go at once. */
  maxHeld: number;
  /** The longest an acknowledgement is held (ms). */
  maxWaitMs: number;
}

export const DEFAULT_ACK_PACING: AckPacingOptions = { maxBacklog: 16, maxHeld: 16, maxWaitMs: 1000 };

export interface AckPacing {
  /** Resolves when this command may be acknowledged. Pair with exactly one `done()` when its work has finished. */
  admit(): Promise<void>;
  done(): void;
  /** Acknowledged commands whose work has not finished. */
  readonly backlog: number;
  /** Acknowledgements being held. */
  readonly held: number;
}

export function createAckPacing(options: AckPacingOptions = DEFAULT_ACK_PACING): AckPacing {
  let backlog = 0;
  const waiting: { admit: () => void; timer: NodeJS.Timeout }[] = [];
  const admitWaiting = (): void => {
    while (waiting.length > 0 && backlog < options.maxBacklog) {
      const next = waiting.shift() as (typeof waiting)[number];
      clearTimeout(next.timer);
      next.admit();
    }
  };
  return {
    get backlog() {
      return backlog;
    },
    get held() {
      return waiting.length;
    },
    admit() {
      if ((backlog < options.maxBacklog && waiting.length === 0) || waiting.length >= options.maxHeld) {
        backlog += 1;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const entry = {
          admit: () => {
            backlog += 1;
            resolve();
          },
          timer: setTimeout(() => {
            waiting.splice(waiting.indexOf(entry), 1);
            entry.admit();
          }, options.maxWaitMs),
        };
        waiting.push(entry);
      });
    },
    done() {
      backlog = Math.max(0, backlog - 1);
      admitWaiting();
    },
  };
}
