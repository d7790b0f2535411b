import type { InputBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  ACTION_IDS,
  formatDueDate,
  readModalValues,
  renderAppHome,
  renderBlocks,
  renderUpdateModal,
  UPDATE_MODAL_ACTIONS,
  UPDATE_MODAL_BLOCKS,
  UPDATE_MODAL_CALLBACK_ID,
  type SlackMessage,
} from '../../src/render/block-kit.js';
import { type ActionLine, fields, heading, list, type Reply, reply, text, type UpdateFormRequest } from '../../src/render/reply.js';
import { escapeMrkdwn, escapePlain, MENTION_BREAKER, truncateEscaped } from '../../src/render/slack-escape.js';
import { checkBlockKitLimits, checkViewLimits } from '../helpers/block-kit-limits.js';

const HOSTILE = '<!channel> <@U123> <https://x|y> @here & co';

function action(n: number, overrides: Partial<ActionLine> = {}): ActionLine {
  return {
    ref: `ND-${Math.floor(n / 10) + 1}.${(n % 10) + 1}`,
    title: `Reduce waiting times for neurodevelopmental assessment, pathway step ${n}, including the NDPT pilot`,
    owner: 'SCC Head of SEND',
    ownerHolders: ['Sam Patel'],
    due: '2025-03-31',
    status: (['green', 'amber', 'red', 'blue', 'not_started'] as const)[n % 5] ?? 'green',
    percent: (n * 7) % 101,
    daysOverdue: n % 3 === 0 ? 4 : null,
    detail: `last update 3 Nov by Sam: slipping because of recruitment (${n})`,
    ...overrides,
  };
}

function expectNoRawMarkup(serialised: string): void {
  expect(serialised).not.toContain('<!channel>');
  expect(serialised).not.toContain('<@U123>');
  expect(serialised).not.toContain('<https://');
  expect(serialised).not.toMatch(/<[!@#]/);
  expect(serialised).not.toContain('@here');
}

function allWithinLimits(messages: SlackMessage[]): void {
  for (const message of messages) expect(checkBlockKitLimits(message)).toEqual([]);
}

describe('escapeMrkdwn', () => {
  it('escapes Slack control characters and breaks broadcast words', () => {
    expect(escapeMrkdwn('a < b > c & d')).toBe('a &lt; b &gt; c &amp; d');
    expect(escapeMrkdwn('<!channel>')).toBe('&lt;!channel&gt;');
    expect(escapeMrkdwn('ping @Channel and @here, @everyone!')).toBe(
      `ping @${MENTION_BREAKER}Channel and @${MENTION_BREAKER}here, @${MENTION_BREAKER}everyone!`,
    );
    expect(escapeMrkdwn('@channels and me@here.com')).toContain('@channels');
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });

  it('escapes plain_text the same way', () => {
    expect(escapePlain('A & B <c>')).toBe('A &amp; B &lt;c&gt;');
    expect(escapePlain('@here')).toBe(`@${MENTION_BREAKER}here`);
  });

  it('truncates without splitting an entity or an emoji', () => {
    const out = truncateEscaped('&&&&&&&&&&', 12);
    expect(out).toBe('&amp;&amp;…');
    expect(truncateEscaped('🟢🟢🟢🟢', 5)).toBe('🟢🟢…');
    expect(truncateEscaped('short', 10)).toBe('short');
  });
});

describe('renderBlocks: escaping', () => {
  it('escapes user text in every block and in the fallback text', () => {
    const r = reply('warning', `Note from Sam: ${HOSTILE}`, [
      heading(`Heading ${HOSTILE}`),
      text(HOSTILE),
      text(HOSTILE, true),
      fields([
        [`Label ${HOSTILE}`, HOSTILE],
        ['Empty', ''],
      ]),
      list([HOSTILE, 'second']),
      {
        type: 'actions',
        heading: HOSTILE,
        items: [action(1, { title: HOSTILE, owner: HOSTILE, ownerHolders: [HOSTILE], detail: HOSTILE, ref: 'ND-1.1' })],
      },
    ], { buttons: [{ id: 'confirm', label: HOSTILE, value: 'tok', style: 'primary' }] });
    for (const actionButtons of [false, true]) {
      const messages = renderBlocks(r, { actionButtons });
      expect(messages).toHaveLength(1);
      const [message] = messages as [SlackMessage];
      expect(message.text).toBe(`Note from Sam: &lt;!channel&gt; &lt;@U123&gt; &lt;https://x|y&gt; @${MENTION_BREAKER}here &amp; co`);
      expectNoRawMarkup(JSON.stringify(message));
      expect(JSON.stringify(message.blocks)).toContain('&lt;!channel&gt;');
      allWithinLimits(messages);
    }
  });

  it('prefixes the first section with the tone', () => {
    const [error] = renderBlocks(reply('error', 'No action ND-9.9.'));
    expect((error?.blocks[0] as SectionBlock).text?.text).toBe('❌ No action ND-9.9.');
    const [warning] = renderBlocks(reply('warning', 'Digest', [heading('Digest'), text('body')]));
    expect(JSON.stringify(warning?.blocks[0])).toContain('⚠️ Digest');
    const [info] = renderBlocks(reply('info', 'Hello'));
    expect((info?.blocks[0] as SectionBlock).text?.text).toBe('Hello');
  });

  it('shows the summary when the blocks do not start with it', () => {
    const [m] = renderBlocks(reply('success', 'Updated ND-1.2.', [fields([['Status', 'amber']])]));
    expect(m?.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Updated ND-1.2.' } });
    const [same] = renderBlocks(reply('info', 'Same', [text('Same')]));
    expect(same?.blocks).toHaveLength(1);
  });
});

describe('renderBlocks: action lines', () => {
  it('shows ref, title, status, percent, due date, overdue, owner and detail', () => {
    const [m] = renderBlocks(
      reply('info', 'Your actions', [{ type: 'actions', items: [action(3, { ref: 'ND-1.2', status: 'amber', percent: 60, daysOverdue: 1 })] }]),
    );
    const json = JSON.stringify(m?.blocks);
    expect(json).toContain('*ND-1.2*');
    expect(json).toContain('🟠 amber');
    expect(json).toContain('60%');
    expect(json).toContain('due 31 Mar 2025');
    expect(json).toContain('1 working day overdue');
    expect(json).toContain('Owner: SCC Head of SEND (Sam Patel)');
    expect(json).toContain('last update 3 Nov by Sam');
  });

  it('truncates long titles with an ellipsis', () => {
    const [m] = renderBlocks(reply('info', 's', [{ type: 'actions', items: [action(1, { title: 'x'.repeat(500) })] }]));
    const section = m?.blocks.find((b) => b.type === 'section' && JSON.stringify(b).includes('ND-')) as SectionBlock;
    expect(section.text?.text).toMatch(/x{100,120}…/);
    expect(section.text?.text).not.toMatch(/x{121}/);
  });

  it('marks a vacant role and shows the empty text', () => {
    const [m] = renderBlocks(
      reply('info', 's', [
        { type: 'actions', items: [action(1, { ownerHolders: [] })] },
        { type: 'actions', heading: 'Overdue', items: [], emptyText: 'Nothing overdue.' },
      ]),
    );
    const json = JSON.stringify(m?.blocks);
    expect(json).toContain('nobody holds this role');
    expect(json).toContain('Nothing overdue.');
  });

  it('gives each action Update and No change buttons in nudges', () => {
    const items = [action(1, { ref: 'ND-1.1' }), action(2, { ref: 'ND-1.2' })];
    const [m] = renderBlocks(reply('info', 'Please update', [{ type: 'actions', items }]), { actionButtons: true });
    const actionBlocks = m?.blocks.filter((b) => b.type === 'actions') ?? [];
    expect(actionBlocks).toHaveLength(2);
    expect(actionBlocks[1]).toMatchObject({
      elements: [
        { action_id: ACTION_IDS.update, value: 'ND-1.2', style: 'primary' },
        { action_id: ACTION_IDS.noChange, value: 'ND-1.2' },
      ],
    });
  });

  it('renders reply buttons at the end', () => {
    const [m] = renderBlocks(
      reply('warning', 'Hand over 20 actions?', [], {
        buttons: [
          { id: 'confirm', label: 'Hand over', value: 'tok-1', style: 'danger' },
          { id: 'cancel', label: 'Cancel', value: 'tok-1' },
        ],
      }),
    );
    expect(m?.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        { type: 'button', action_id: 'send_button_confirm', text: { type: 'plain_text', text: 'Hand over', emoji: true }, value: 'tok-1', style: 'danger' },
        { type: 'button', action_id: 'send_button_cancel', text: { type: 'plain_text', text: 'Cancel', emoji: true }, value: 'tok-1' },
      ],
    });
  });

  it('formats ISO due dates and keeps other wording', () => {
    expect(formatDueDate('2025-03-31')).toBe('31 Mar 2025');
    expect(formatDueDate('2024-09-01')).toBe('1 Sep 2024');
    expect(formatDueDate('Summer term 2025')).toBe('Summer term 2025');
  });
});

describe('renderBlocks: splitting long replies', () => {
  const digest = (n: number): Reply =>
    reply('info', 'Weekly digest: 500 actions', [
      heading('Weekly digest'),
      text('Everything in the plan, by status.'),
      { type: 'actions', heading: 'All actions', items: Array.from({ length: n }, (_, i) => action(i)) },
      { type: 'divider' },
      list(Array.from({ length: 60 }, (_, i) => `Missing update from person ${i} <@U${i}>`)),
    ], { buttons: [{ id: 'confirm', label: 'Send to board', value: 'digest-1' }] });

  it('splits a 500-action digest into messages that are all within Block Kit limits', () => {
    const messages = renderBlocks(digest(500));
    expect(messages.length).toBeGreaterThan(1);
    allWithinLimits(messages);
    const total = messages.length;
    messages.forEach((m, i) => {
      if (i === 0) expect(m.text).toBe('Weekly digest: 500 actions');
      else {
        expect(m.text).toBe(`Weekly digest: 500 actions (part ${i + 1} of ${total})`);
        expect(JSON.stringify(m.blocks[0])).toContain(`part ${i + 1} of ${total}`);
      }
    });
    // Nothing lost: every action ref appears once, in order.
    const all = messages.map((m) => JSON.stringify(m.blocks)).join('');
    const refs = [...all.matchAll(/\*(ND-\d+\.\d+)\*/g)].map((x) => x[1]);
    expect(refs).toEqual(Array.from({ length: 500 }, (_, i) => action(i).ref));
    // The reply's buttons are at the very end.
    expect(messages.at(-1)?.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ action_id: 'send_button_confirm' }] });
    expectNoRawMarkup(all);
  });

  it('splits a nudge with buttons for 120 actions', () => {
    const messages = renderBlocks(digest(120), { actionButtons: true });
    allWithinLimits(messages);
    const updateButtons = messages.flatMap((m) => m.blocks).filter((b) => b.type === 'actions' && JSON.stringify(b).includes(ACTION_IDS.update));
    expect(updateButtons).toHaveLength(120);
    // Each action's text and its buttons stay in the same message.
    for (const m of messages) {
      m.blocks.forEach((b, i) => {
        if (b.type === 'actions' && JSON.stringify(b).includes(ACTION_IDS.update)) expect(m.blocks[i - 1]?.type).toBe('section');
      });
    }
  });

  it('never leaves a heading alone at the end of a message', () => {
    for (const messages of [renderBlocks(digest(500)), renderBlocks(digest(120), { actionButtons: true })]) {
      for (const m of messages.slice(0, -1)) expect(m.blocks.at(-1)?.type).not.toBe('header');
    }
  });

  it('splits very long text, fields and lists', () => {
    const long = 'All work & no play <makes> a dull report. '.repeat(400);
    const manyFields = fields(Array.from({ length: 35 }, (_, i) => [`Field ${i}`, 'v'.repeat(1990)] as [string, string]));
    const messages = renderBlocks(reply('info', 'Long', [text(long), text(long, true), manyFields, list([long, long])]));
    allWithinLimits(messages);
    expect(messages.length).toBeGreaterThan(1);
  });

  it('keeps headers within 150 characters and buttons within 75', () => {
    const messages = renderBlocks(
      reply('error', 'x', [heading('H'.repeat(400))], { buttons: [{ id: 'update', label: 'L'.repeat(200), value: 'v'.repeat(3000) }] }),
    );
    allWithinLimits(messages);
  });
});

describe('renderUpdateModal', () => {
  const form: UpdateFormRequest = {
    choices: [
      { ref: 'ND-1.1', title: 'Recruit two more assessors <@U1>', status: 'green', due: '2025-03-31' },
      { ref: 'ND-1.2', title: 'Roll out the NDPT pilot to all secondary schools across the city', status: 'amber', due: null },
    ],
    ref: 'ND-1.2',
  };

  it('renders every input with the preselected action and is within view limits', () => {
    const view = renderUpdateModal(form, { privateMetadata: '{"channel":"D1"}' });
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe(UPDATE_MODAL_CALLBACK_ID);
    expect(view.private_metadata).toBe('{"channel":"D1"}');
    expect(checkViewLimits(view as unknown as Record<string, unknown>)).toEqual([]);
    const inputs = view.blocks.filter((b) => b.type === 'input');
    expect(inputs.map((b) => b.block_id)).toEqual(['action', 'status', 'percent', 'note', 'evidence', 'due', 'due_reason']);
    const action = inputs[0] as { optional: boolean; element: { initial_option?: { value: string }; options: unknown[] } };
    expect(action.optional).toBe(false);
    expect(action.element.initial_option?.value).toBe('ND-1.2');
    expect(action.element.options).toHaveLength(2);
    expect(inputs.slice(1).every((b) => (b as { optional: boolean }).optional)).toBe(true);
    expect(inputs[2]).toMatchObject({ element: { type: 'number_input', min_value: '0', max_value: '100', is_decimal_allowed: false } });
    expect(inputs[3]).toMatchObject({ element: { type: 'plain_text_input', multiline: true, max_length: 3000 } });
    expect(inputs[4]).toMatchObject({ element: { type: 'url_text_input' } });
    expect(inputs[5]).toMatchObject({ element: { type: 'datepicker' } });
  });

  it('shows errors under their inputs and keeps what was typed', () => {
    const view = renderUpdateModal(form, {
      privateMetadata: '',
      errors: { percent: 'Use a whole number from 0 to 100 <!here>.', elsewhere: 'Something else went wrong.' },
      values: { action: 'ND-1.1', status: 'red', percent: '60', note: 'Slipping @channel', due: '2025-06-30', due_reason: 'Recruitment' },
    });
    expect(checkViewLimits(view as unknown as Record<string, unknown>)).toEqual([]);
    const ids = view.blocks.map((b) => b.block_id ?? b.type);
    const percentAt = ids.indexOf('percent');
    expect(JSON.stringify(view.blocks[percentAt + 1])).toContain('❌ Use a whole number from 0 to 100 &lt;!here&gt;.');
    expect(JSON.stringify(view.blocks)).toContain('Something else went wrong.');
    const json = JSON.stringify(view);
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<@U1>');
    const byId = (id: string) => view.blocks.find((b) => b.block_id === id) as unknown as { element: Record<string, unknown> };
    expect(byId('action').element.initial_option).toMatchObject({ value: 'ND-1.1' });
    expect(byId('status').element.initial_option).toMatchObject({ value: 'red' });
    expect(byId('percent').element.initial_value).toBe('60');
    expect(byId('note').element.initial_value).toBe('Slipping @channel');
    expect(byId('due').element.initial_date).toBe('2025-06-30');
    expect(byId('due_reason').element.initial_value).toBe('Recruitment');
  });

  it('offers at most 100 actions, keeps the preselected one and says so', () => {
    const choices = Array.from({ length: 240 }, (_, i) => ({ ref: `QA-${i}`, title: `Action ${i} ${'t'.repeat(100)}`, status: 'red' as const, due: null }));
    const view = renderUpdateModal({ choices, ref: 'QA-200' }, { privateMetadata: '' });
    expect(checkViewLimits(view as unknown as Record<string, unknown>)).toEqual([]);
    const action = view.blocks.find((b) => b.block_id === 'action') as unknown as {
      element: { options: { value: string }[]; initial_option: { value: string } };
      hint: { text: string };
    };
    expect(action.element.options).toHaveLength(100);
    expect(action.element.initial_option.value).toBe('QA-200');
    expect(action.hint.text).toContain('100 of 240');
  });

  it('refuses private metadata Slack would reject, and handles no choices', () => {
    expect(() => renderUpdateModal(form, { privateMetadata: 'x'.repeat(3001) })).toThrow(RangeError);
    const empty = renderUpdateModal({ choices: [] }, { privateMetadata: '' });
    expect(empty.submit).toBeUndefined();
    expect(checkViewLimits(empty as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('reads submitted values back', () => {
    const A = UPDATE_MODAL_ACTIONS;
    const B = UPDATE_MODAL_BLOCKS;
    const state = {
      [B.action]: { [A.action]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'ND-1.2 · x' }, value: 'ND-1.2' } } },
      [B.status]: { [A.status]: { type: 'static_select', selected_option: { value: 'amber' } } },
      [B.percent]: { [A.percent]: { type: 'number_input', value: '60' } },
      [B.note]: { [A.note]: { type: 'plain_text_input', value: 'NDPT pilot extended; roll-out from Jan' } },
      [B.evidence]: { [A.evidence]: { type: 'url_text_input', value: 'https://example.org/paper.pdf' } },
      [B.due]: { [A.due]: { type: 'datepicker', selected_date: '2025-06-30' } },
      [B.dueReason]: { [A.dueReason]: { type: 'plain_text_input', value: '   ' } },
    };
    expect(readModalValues(state)).toEqual({
      ref: 'ND-1.2',
      status: 'amber',
      percent: '60',
      note: 'NDPT pilot extended; roll-out from Jan',
      evidenceUrl: 'https://example.org/paper.pdf',
      due: '2025-06-30',
      dueReason: undefined,
    });
    expect(readModalValues({ [B.status]: { [A.status]: { type: 'static_select', selected_option: null } } })).toEqual({
      ref: undefined,
      status: undefined,
      percent: undefined,
      note: undefined,
      evidenceUrl: undefined,
      due: undefined,
      dueReason: undefined,
    });
  });

  it('round-trips: what the modal prefills is what readModalValues reads', () => {
    const values = { action: 'ND-1.1', status: 'blue', percent: '100', note: 'Done', evidence: 'https://e.org/x', due: '2025-07-01', due_reason: 'Late start' };
    const view = renderUpdateModal(form, { privateMetadata: '', values });
    // Build view.state.values the way Slack does from the elements' initial values.
    const state: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const block of view.blocks) {
      if (block.type !== 'input' || !block.block_id) continue;
      const el = (block as InputBlock).element as unknown as Record<string, unknown> & { action_id: string; type: string };
      const initialOption = el.initial_option as { value: string } | undefined;
      state[block.block_id] = {
        [el.action_id]: {
          type: el.type,
          ...(el.type === 'static_select' ? { selected_option: initialOption ?? null } : {}),
          ...(el.type === 'datepicker' ? { selected_date: el.initial_date ?? null } : {}),
          ...(el.type !== 'static_select' && el.type !== 'datepicker' ? { value: el.initial_value ?? null } : {}),
        },
      };
    }
    expect(readModalValues(state as never)).toEqual({
      ref: 'ND-1.1',
      status: 'blue',
      percent: '100',
      note: 'Done',
      evidenceUrl: 'https://e.org/x',
      due: '2025-07-01',
      dueReason: 'Late start',
    });
  });
});

describe('renderAppHome', () => {
  it('renders a home view of at most 100 blocks with a note when cut', () => {
    const items = Array.from({ length: 300 }, (_, i) => action(i));
    const view = renderAppHome(reply('info', 'Your actions', [heading('Your actions'), { type: 'actions', items }]), { actionButtons: true });
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(checkViewLimits(view as unknown as Record<string, unknown>)).toEqual([]);
    expect(JSON.stringify(view.blocks.at(-1))).toContain('more than fits');
  });

  it('renders a short reply whole', () => {
    const view = renderAppHome(reply('info', 'Nothing due', [text('Nothing due this week.')]));
    expect(view.blocks.map((b) => b.type)).toEqual(['section', 'section']);
  });
});
