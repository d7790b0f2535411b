// Acknowledgements paced to the work: at once while the backlog is short, held for work to finish
// when it is not, never longer than the longest wait, and never more held at once than the cap
// (each held acknowledgement is a connection; Slack's 3 seconds come first).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAckPacing } from '../../../src/platforms/slack/ack-pacing.js';

describe('createAckPacing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Admits `count` commands, recording the order in which each may be acknowledged. */
  const admitAll = (pacing: ReturnType<typeof createAckPacing>, count: number, order: number[]) =>
    Array.from({ length: count }, (_, i) => pacing.admit().then(() => order.push(i)));

  it('admits at once up to the backlog, then one for each command whose work finishes, oldest first', async () => {
    const pacing = createAckPacing({ maxBacklog: 2, maxHeld: 10, maxWaitMs: 1000 });
    const order: number[] = [];
    admitAll(pacing, 5, order);
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1]);
    expect(pacing.held).toBe(3);
    pacing.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1, 2]);
    pacing.done();
    pacing.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(pacing.backlog).toBe(2);
    expect(pacing.held).toBe(0);
  });

  it('lets an acknowledgement go after the longest wait even when no work has finished', async () => {
    const pacing = createAckPacing({ maxBacklog: 1, maxHeld: 10, maxWaitMs: 100 });
    const order: number[] = [];
    admitAll(pacing, 3, order);
    await vi.advanceTimersByTimeAsync(99);
    expect(order).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    // Both waited their longest; the backlog grows past the bound rather than the acknowledgements.
    expect(order).toEqual([0, 1, 2]);
    expect(pacing.backlog).toBe(3);
  });

  it('holds no more than maxHeld at once: the next goes at once', async () => {
    const pacing = createAckPacing({ maxBacklog: 1, maxHeld: 2, maxWaitMs: 1000 });
    const order: number[] = [];
    admitAll(pacing, 5, order);
    await vi.advanceTimersByTimeAsync(0);
    // 0 admitted; 1 and 2 held; 3 and 4 found two held and went at once.
    expect(order).toEqual([0, 3, 4]);
    expect(pacing.held).toBe(2);
    expect(pacing.backlog).toBe(3);
    for (let i = 0; i < 3; i += 1) pacing.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 3, 4, 1]);
  });
});
