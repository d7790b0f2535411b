// The queue for work after an acknowledgement: what is waiting goes through in batches, one batch
// per turn of the event loop, each about the queue's budget of work, so whatever else is waiting
// (reading and acknowledging the next requests) gets in between when the work is heavy.
import { describe, expect, it } from 'vitest';
import { AfterAckQueue, afterAck } from '../../../src/platforms/slack/after-ack.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Keeps the thread busy for `ms` (stands in for a command's synchronous work). */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('AfterAckQueue', () => {
  it('lets cheap work through together, in arrival order, in the turn after it was queued', async () => {
    const queue = new AfterAckQueue(20);
    const order: string[] = [];
    const work = ['a', 'b', 'c'].map((name) => queue.wait().then(() => order.push(name)));
    // Queued after the three requests, like I/O that arrives while their work waits.
    setImmediate(() => order.push('io 1'));
    await Promise.all(work);
    await turn();
    expect(order).toEqual(['a', 'b', 'c', 'io 1']);
  });

  it('holds heavy work to about its budget a turn, so other callbacks get in between', async () => {
    const queue = new AfterAckQueue(20);
    const order: string[] = [];
    // Each item takes longer than the whole budget: once one batch has been timed, one item a turn.
    const work = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((name) =>
      queue.wait().then(() => {
        busy(30);
        order.push(name);
      }),
    );
    const io: Promise<void>[] = [];
    for (let i = 1; i <= 8; i += 1) {
      io.push(turn().then(() => void order.push(`io ${i}`)));
      await io.at(-1);
    }
    await Promise.all([...work, ...io]);
    // Never more than the first batch (at most 4 items before any timing) without I/O in between.
    const runs = order.join(' ').split(/ ?io \d+ ?/).filter((run) => run !== '');
    expect(runs[0]?.split(' ').length).toBeLessThanOrEqual(4);
    expect(runs.slice(1).every((run) => run.split(' ').length === 1)).toBe(true);
    expect(order.filter((item) => !item.startsWith('io'))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('does not let anything run before the acknowledgement that was queued first', async () => {
    const order: string[] = [];
    const work = afterAck().then(() => order.push('work'));
    order.push('ack written');
    await work;
    expect(order).toEqual(['ack written', 'work']);
  });
});
