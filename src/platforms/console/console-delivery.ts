// Delivery to the terminal: local mode and `sendbot tick` print each message instead of sending it.
// It reaches everyone (people and channels), so local mode shows exactly what would have gone out.
import type { DeliveryAdapter, OutgoingMessage } from '../../jobs/delivery-types.js';
import { renderText } from '../../render/text.js';

export interface ConsoleOutput {
  write(text: string): unknown;
}

export function createConsoleDelivery(output: ConsoleOutput): DeliveryAdapter {
  return {
    platform: 'console',
    canReach: async () => true,
    deliver: async (message: OutgoingMessage) => {
      output.write(`\n── sendbot → ${describeTo(message)} (${message.payload.kind.replace(/_/g, ' ')}) ──\n${renderText(message.payload.reply)}\n\n`);
      return { ok: true, platformMessageId: `console-${message.outboxId}` };
    },
  };
}

function describeTo(message: OutgoingMessage): string {
  const p = message.recipient.person;
  return p ? `${p.name} <${p.email}>` : (message.recipient.channel ?? 'nobody');
}
