/**
 * ack() only queues Bolt's HTTP response; yielding once lets it reach the socket before the
 * listener's synchronous work (SQLite, rendering) runs, so Slack is not kept waiting for that work.
 */
export function afterAck(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
