// The queue for work after an acknowledgement: one request's work per turn of the event loop, so
// whatever else is waiting (reading and acknowledging the next requests) gets in between.
import { describe, expect, it } from 'vitest';
import { afterAck } from '../../../src/platforms/slack/after-ack.js';

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

  it('does not let anything run before the acknowledgement that was queued first', async () => {
    const order: string[] = [];
    const work = afterAck().then(() => order.push('work'));
    order.push('ack written');
    await work;
    expect(order).toEqual(['ack written', 'work']);
  });
});
