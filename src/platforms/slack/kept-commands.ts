// Commands kept for a replay because the database could not be reached while they were being carried
// out (durable-inbox.ts, keptForReplay). Their inbox rows still carry the lease taken when they were
// acknowledged, so the sweep would leave them for up to a minute after the database is back, and the
// person, told "it will be carried out once the database is back", would see nothing meanwhile and
// send it again. So this instance retries, every second, to make them replayable at once, and sweeps
// as soon as one is. If the instance dies first, the lease runs out and any instance's sweep takes them.
import type { Logger } from '../../logger.js';
import type { Db } from '../../store/database.js';
import { releaseInboxItem } from '../../store/slack-inbox-repository.js';

export class KeptCommands {
  readonly #ids = new Set<number>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Set by the app once its sweep exists. */
  sweepNow: () => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly retryMs = 1000,
  ) {}

  add(inboxId: number): void {
    this.#ids.add(inboxId);
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#timer || this.#stopped || this.#ids.size === 0) return;
    this.#timer = setTimeout(() => void this.#retry(), this.retryMs);
    this.#timer.unref();
  }

  async #retry(): Promise<void> {
    this.#timer = undefined;
    let released = 0;
    for (const id of [...this.#ids]) {
      try {
        await releaseInboxItem(this.db, id);
      } catch {
        break; // still unreachable: try again in a second
      }
      this.#ids.delete(id);
      released += 1;
    }
    if (released > 0) {
      this.logger.info({ kept: released }, 'the database is reachable again: carrying out the Slack commands kept while it was not');
      this.sweepNow();
    }
    this.#schedule();
  }
}
