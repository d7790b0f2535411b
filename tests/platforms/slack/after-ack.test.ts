// The queue for work after an acknowledgement: one request's work per turn of the event loop, so
// whatever else is waiting (reading and acknowledging the next requests) gets in between, until the
// backlog passes its bound.
import { describe, expect, it } from 'vitest';
import { afterAck, MAX_WAITING } from '../../../src/platforms/slack/after-ack.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('afterAck', () => {
  it('lets work through in arrival order, one per turn, with other callbacks of the event loop in between', async () => {
    const order: string[] = [];
    const work = ['a', 'b', 'c'].map((name) => afterAck().then(() => order.push(name)));
    // Queued after the three requests, like I/O that arrives while their work waits.
    setImmediate(() => order.push('io 1'));
    await turn();
    setImmediate(() => order.push('io 2'));
    await Promise.all(work);
    expect(order).toEqual(['a', 'io 1', 'b', 'io 2', 'c']);
  });

  it('lets a backlog beyond the bound through at once, so acknowledgements cannot outrun the work', async () => {
    const order: string[] = [];
    const names = Array.from({ length: MAX_WAITING + 3 }, (_, i) => `w${i}`);
    const work = names.map((name) => afterAck().then(() => order.push(name)));
    setImmediate(() => order.push('io'));
    await Promise.all(work);
    // The first turn lets through all but MAX_WAITING, then one per turn again.
    const first = names.length - MAX_WAITING;
    expect(first).toBeGreaterThan(1);
    expect(order.slice(0, first)).toEqual(names.slice(0, first));
    expect(order[first]).toBe('io');
    expect(order.filter((o) => o !== 'io')).toEqual(names);
  });

  it('does not let anything run before the acknowledgement that was queued first', async () => {
    const order: string[] = [];
    const work = afterAck().then(() => order.push('work'));
    order.push('ack written');
    await work;
    expect(order).toEqual(['ack written', 'work']);
  });
});
