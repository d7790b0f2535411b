// `sendbot actions | head -3`: once `head` has what it wants it closes the pipe, and the next write
// fails with EPIPE. Unhandled, that is an 'error' event with a stack trace and exit 1; Unix tools end
// quietly instead. So a stream whose reader has gone drops the rest of what is written to it, and the
// command finishes its work (a half-done command is worse than unread output) and exits as it would.
import type { Writable } from 'node:stream';

/** A writer for `stream` that drops writes once its reader has closed the pipe; other errors still throw. */
export function closedPipeTolerant(stream: Writable): { write(text: string): boolean } {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      closed = true;
      return;
    }
    throw error;
  });
  return {
    write(text: string): boolean {
      if (closed) return false;
      return stream.write(text);
    },
  };
}
