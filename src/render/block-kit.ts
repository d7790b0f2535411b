// Reply → Slack Block Kit. Pure functions: no Bolt, no I/O, no clock.
//
// Every string from the Reply is plain text and is escaped here (see slack-escape.ts). Emphasis
// (bold refs, bold labels) is added by this file around already-escaped text, never taken from input.
//
// Slack rejects a message outright when any Block Kit limit is broken (`invalid_blocks`,
// `msg_blocks_too_long`), so a long reply (a digest of 500 actions) is laid out into as many messages
// as needed, each inside every limit: see `layoutPages`.
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  Datepicker,
  DividerBlock,
  HeaderBlock,
  HomeView,
  InputBlock,
  KnownBlock,
  ModalView,
  NumberInput,
  PlainTextElement,
  PlainTextInput,
  PlainTextOption,
  SectionBlock,
  StaticSelect,
  URLInput,
} from '@slack/types';
import type { ActionStatus } from '../../db/types.js';
import { STATUS_SHORT } from '../domain/status.js';
import { ownerOf, POSITION_MARK, POSITION_WORD, valueText } from './kpi-text.js';
import { type ActionLine, isWebLink, type KpiLine, type Reply, type ReplyBlock, type ReplyButton, type ReplyLink, type UpdateFormRequest } from './reply.js';
import { chunkEscaped, escapeMrkdwn, escapePlain, truncateEscaped } from './slack-escape.js';

export interface SlackMessage {
  /** Notification and fallback text (escaped mrkdwn). Always set. */
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** Give every action line "Update" and "No change" buttons (nudges). */
  actionButtons?: boolean;
}

/** Slack's limits, as documented for Block Kit, plus our own budget for the undocumented one. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  contextText: 3000,
  field: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  elementsPerActionsBlock: 25,
  optionText: 75,
  optionDescription: 75,
  optionValue: 150,
  optionsPerSelect: 100,
  viewTitle: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  placeholder: 150,
  /**
   * chat.postMessage also fails with `msg_blocks_too_long` when all the text in the blocks adds up to
   * roughly 12–13k characters (not documented; see slackapi/bolt-js#2509 and #2867, where one app
   * failed at 11.3k). We budget the serialised JSON of the blocks, which is always longer than their
   * text, and keep a margin below that.
   */
  messageBlocksJson: 10_000,
  /** No cumulative limit is documented for views; a generous budget keeps the Home tab quick to load. */
  viewBlocksJson: 40_000,
} as const;

// ——— Small builders ———

const STATUS_EMOJI: Record<ActionStatus, string> = {
  green: '🟢',
  amber: '🟠',
  red: '🔴',
  blue: '🔵',
  not_started: '⚪',
};

const TONE_PREFIX: Record<Reply['tone'], string> = { info: '', success: '', warning: '⚠️ ', error: '❌ ' };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2025-03-31" → "31 Mar 2025"; anything else is returned as given (it is escaped by the caller). */
export function formatDueDate(due: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(due);
  if (!match) return due;
  const month = MONTHS[Number(match[2]) - 1];
  if (!month) return due;
  return `${Number(match[3])} ${month} ${match[1]}`;
}

/** What a block adds to a message's serialised `blocks` (with its comma). */
const jsonSize = (block: KnownBlock): number => JSON.stringify(block).length + 1;
const jsonTextSize = (text: string): number => JSON.stringify(text).length - 2;

function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: truncateEscaped(text, max, escapePlain), emoji: true };
}

function mrkdwnSection(escapedText: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: escapedText } };
}

function mutedContext(escapedText: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: escapedText }] };
}

function button(actionId: string, label: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: plain(label, SLACK_LIMITS.buttonText),
    // A value is an id (an action ref, a token): shortening it would change its meaning, so an
    // over-long one is a bug upstream; cutting it keeps the message deliverable.
    value: value.slice(0, SLACK_LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

export const ACTION_IDS = {
  update: 'send_update',
  noChange: 'send_no_change',
  /** Prefix for `reply.buttons`: `send_button_update`, `send_button_confirm`… */
  buttonPrefix: 'send_button_',
  /** Prefix for `reply.links` (URL buttons): Slack still sends a click, which is only acknowledged. */
  linkPrefix: 'send_link_',
} as const;

/** The mrkdwn for one action line: escaped content, our own emphasis. */
export function formatActionLine(line: ActionLine): string {
  const title = line.title.trim() ? ` ${truncateEscaped(line.title.trim(), 120)}` : '';
  const parts: string[] = [`*${truncateEscaped(line.ref, 100)}*${title}`];

  const facts: string[] = [`${STATUS_EMOJI[line.status] ?? '⚪'} ${STATUS_SHORT[line.status] ?? line.status}`];
  if (typeof line.percent === 'number' && Number.isFinite(line.percent)) facts.push(`${Math.round(line.percent)}%`);
  if (line.due) facts.push(`due ${truncateEscaped(formatDueDate(line.due), 80)}`);
  else if (line.dueInstead) facts.push(truncateEscaped(line.dueInstead, 80));
  if (typeof line.daysOverdue === 'number' && line.daysOverdue > 0) {
    const days = Math.round(line.daysOverdue);
    facts.push(`*${days} working ${days === 1 ? 'day' : 'days'} overdue*`);
  }
  parts.push(facts.join(' · '));

  if (line.owner) {
    let owner = `Owner: ${truncateEscaped(line.owner, 200)}`;
    if (line.ownerHolders && line.ownerHolders.length > 0) {
      owner += ` (${truncateEscaped(line.ownerHolders.join(', '), 300)})`;
    } else if (line.ownerHolders) {
      // An empty list means nobody holds the role: the orphaned action a chair needs to see.
      owner += ' (nobody holds this role)';
    }
    parts.push(owner);
  } else if (line.ownerHolders && line.ownerHolders.length > 0) {
    parts.push(`Held by ${truncateEscaped(line.ownerHolders.join(', '), 300)}`);
  }
  if (line.detail?.trim()) parts.push(truncateEscaped(line.detail.trim(), 600));
  return parts.join('\n');
}

/** The mrkdwn for one KPI line: escaped content, our own emphasis; the trend is a text sparkline. */
export function formatKpiLine(line: KpiLine): string {
  const name = line.name.trim() ? ` ${truncateEscaped(line.name.trim(), 160)}` : '';
  const parts = [`*${truncateEscaped(line.code, 60)}*${name}`];
  parts.push(`${POSITION_MARK[line.position]} ${POSITION_WORD[line.position]} · ${truncateEscaped(valueText(line), 300)}`);
  const more: string[] = [];
  if (line.sparkline) more.push(`Trend ${line.sparkline}`);
  if (line.nextTarget) more.push(`next ${truncateEscaped(line.nextTarget, 200)}`);
  if (more.length) parts.push(more.join(' · '));
  const owner = ownerOf(line);
  if (owner) parts.push(`Owner: ${truncateEscaped(owner, 300)}`);
  if (line.detail?.trim()) parts.push(truncateEscaped(line.detail.trim(), 400));
  return parts.join('\n');
}

// ——— Units: what the layout packs into pages ———

type Unit =
  /** Blocks that must stay in the same message (an action line and its buttons). */
  | { kind: 'blocks'; blocks: KnownBlock[]; keepWithNext?: boolean }
  /** One escaped mrkdwn line; consecutive lines of one group share a section (or context) up to 3000 chars. */
  | { kind: 'line'; group: number; text: string; separator: string; muted?: boolean };

class UnitBuilder {
  readonly units: Unit[] = [];
  private group = 0;
  private prefix: string;

  constructor(
    prefix: string,
    private readonly opts: RenderOptions,
  ) {
    this.prefix = prefix;
  }

  /** The tone prefix, once: for the first section, header or line. */
  private takePrefix(): string {
    const p = this.prefix;
    this.prefix = '';
    return p;
  }

  heading(text: string): void {
    if (!text.trim()) return;
    const prefix = this.takePrefix();
    const block: HeaderBlock = {
      type: 'header',
      text: { type: 'plain_text', text: prefix + truncateEscaped(text, SLACK_LIMITS.headerText - prefix.length, escapePlain), emoji: true },
    };
    this.units.push({ kind: 'blocks', blocks: [block], keepWithNext: true });
  }

  text(text: string, muted = false): void {
    if (!text.trim()) return;
    const prefix = muted ? '' : this.takePrefix();
    const max = (muted ? SLACK_LIMITS.contextText : SLACK_LIMITS.sectionText) - prefix.length;
    chunkEscaped(text, max).forEach((piece, i) => {
      const body = (i === 0 ? prefix : '') + piece;
      this.units.push({ kind: 'blocks', blocks: [muted ? mutedContext(body) : mrkdwnSection(body)] });
    });
  }

  /** A bold line (an actions heading): our emphasis around escaped text. */
  boldLine(text: string): void {
    if (!text.trim()) return;
    const prefix = this.takePrefix();
    const body = `${prefix}*${truncateEscaped(text.trim(), 300)}*`;
    this.units.push({ kind: 'blocks', blocks: [mrkdwnSection(body)], keepWithNext: true });
  }

  fields(pairs: { label: string; value: string }[]): void {
    const shown = pairs.filter((p) => p.label.trim() || p.value.trim());
    if (shown.length === 0) return;
    // The tone prefix cannot go inside a bold label without breaking it, so it leads the first field.
    const prefix = this.takePrefix();
    const rendered = shown.map((p, i) => {
      const lead = i === 0 ? prefix : '';
      const label = p.label.trim() ? `${lead}*${truncateEscaped(p.label.trim(), 200)}*\n` : lead;
      return { type: 'mrkdwn' as const, text: label + truncateEscaped(p.value, SLACK_LIMITS.field - label.length) };
    });
    // At most 10 fields per section, and a cap on a section's size so it always fits a message's budget.
    const maxJson = SLACK_LIMITS.messageBlocksJson / 3;
    let current: SectionBlock | undefined;
    let size = 0;
    for (const field of rendered) {
      const fieldSize = JSON.stringify(field).length + 1;
      if (!current?.fields || current.fields.length >= SLACK_LIMITS.fieldsPerSection || size + fieldSize > maxJson) {
        current = { type: 'section', fields: [] };
        size = jsonSize(current);
        this.units.push({ kind: 'blocks', blocks: [current] });
      }
      current.fields?.push(field);
      size += fieldSize;
    }
  }

  list(items: string[]): void {
    const group = ++this.group;
    let first = true;
    for (const item of items) {
      if (!item.trim()) continue;
      const prefix = first ? this.takePrefix() : '';
      first = false;
      const text = `${prefix}• ${truncateEscaped(item, SLACK_LIMITS.sectionText - 2 - prefix.length)}`;
      this.units.push({ kind: 'line', group, text, separator: '\n' });
    }
  }

  actions(block: Extract<ReplyBlock, { type: 'actions' }>): void {
    if (block.heading?.trim()) this.boldLine(block.heading);
    if (block.items.length === 0) {
      this.text(block.emptyText?.trim() ? block.emptyText : 'No actions to show.', Boolean(block.heading));
      return;
    }
    const group = ++this.group;
    block.items.forEach((item, i) => {
      const prefix = i === 0 ? this.takePrefix() : '';
      const text = prefix + formatActionLine(item);
      if (this.opts.actionButtons) {
        const ref = item.ref;
        const buttons: ActionsBlock = {
          type: 'actions',
          elements: [button(ACTION_IDS.update, 'Update', ref, 'primary'), button(ACTION_IDS.noChange, 'No change', ref)],
        };
        this.units.push({ kind: 'blocks', blocks: [mrkdwnSection(text), buttons] });
      } else {
        this.units.push({ kind: 'line', group, text, separator: '\n\n' });
      }
    });
  }

  kpis(block: Extract<ReplyBlock, { type: 'kpis' }>): void {
    if (block.heading?.trim()) this.boldLine(block.heading);
    if (block.items.length === 0) {
      this.text(block.emptyText?.trim() ? block.emptyText : 'No KPIs to show.', Boolean(block.heading));
      return;
    }
    const group = ++this.group;
    block.items.forEach((item, i) => {
      const prefix = i === 0 ? this.takePrefix() : '';
      this.units.push({ kind: 'line', group, text: prefix + formatKpiLine(item), separator: '\n\n' });
    });
  }

  divider(): void {
    const block: DividerBlock = { type: 'divider' };
    this.units.push({ kind: 'blocks', blocks: [block] });
  }

  links(links: ReplyLink[]): void {
    const usable = links.filter((l) => isWebLink(l.url) && l.url.length <= SLACK_LIMITS.buttonUrl);
    for (let i = 0; i < usable.length; i += SLACK_LIMITS.elementsPerActionsBlock) {
      const elements: Button[] = usable.slice(i, i + SLACK_LIMITS.elementsPerActionsBlock).map((l, j) => ({
        type: 'button',
        action_id: `${ACTION_IDS.linkPrefix}${i + j}`,
        text: plain(l.label, SLACK_LIMITS.buttonText),
        url: l.url,
        style: 'primary',
      }));
      this.units.push({ kind: 'blocks', blocks: [{ type: 'actions', elements }] });
    }
  }

  buttons(buttons: ReplyButton[]): void {
    for (let i = 0; i < buttons.length; i += SLACK_LIMITS.elementsPerActionsBlock) {
      const elements = buttons
        .slice(i, i + SLACK_LIMITS.elementsPerActionsBlock)
        .map((b) => button(`${ACTION_IDS.buttonPrefix}${b.id}`, b.label, b.value, b.style));
      this.units.push({ kind: 'blocks', blocks: [{ type: 'actions', elements }] });
    }
  }
}

/** Whether the summary is already visible as the reply's first block (Slack hides `text` when blocks are shown). */
function summaryIsShown(reply: Reply): boolean {
  const first = reply.blocks[0];
  if (!first) return false;
  if (first.type === 'heading') return true;
  return first.type === 'text' && first.text.trim() === reply.summary.trim();
}

function buildUnits(reply: Reply, opts: RenderOptions): Unit[] {
  const b = new UnitBuilder(TONE_PREFIX[reply.tone] ?? '', opts);
  if (reply.summary.trim() && !summaryIsShown(reply)) b.text(reply.summary);
  for (const block of reply.blocks) {
    switch (block.type) {
      case 'heading':
        b.heading(block.text);
        break;
      case 'text':
        b.text(block.text, block.muted);
        break;
      case 'fields':
        b.fields(block.fields);
        break;
      case 'list':
        b.list(block.items);
        break;
      case 'actions':
        b.actions(block);
        break;
      case 'kpis':
        b.kpis(block);
        break;
      case 'divider':
        b.divider();
        break;
    }
  }
  if (reply.links?.length) b.links(reply.links);
  if (reply.buttons?.length) b.buttons(reply.buttons);
  return b.units;
}

// ——— Layout: units → pages within the limits ———

interface LayoutLimits {
  maxBlocks: number;
  maxJson: number;
  /** Blocks and JSON kept free on every page after the first (for the "continued" note). */
  continuationReserve: { blocks: number; json: number };
}

interface Page {
  blocks: KnownBlock[];
  /** Blocks kept free for the "continued" note added once the page count is known. */
  reservedBlocks: number;
  json: number;
  open?: { group: number; block: SectionBlock | ContextBlock; length: number };
}


function lineBlock(unit: Extract<Unit, { kind: 'line' }>): SectionBlock | ContextBlock {
  return unit.muted ? mutedContext(unit.text) : mrkdwnSection(unit.text);
}

function unitCost(unit: Unit): { blocks: number; json: number } {
  if (unit.kind === 'line') return { blocks: 1, json: jsonSize(lineBlock(unit)) };
  return { blocks: unit.blocks.length, json: unit.blocks.reduce((n, block) => n + jsonSize(block), 0) };
}

function layoutPages(units: Unit[], limits: LayoutLimits): KnownBlock[][] {
  const pages: Page[] = [];
  const newPage = (): Page => {
    const reserve = pages.length === 0 ? { blocks: 0, json: 0 } : limits.continuationReserve;
    const page: Page = { blocks: [], reservedBlocks: reserve.blocks, json: reserve.json };
    pages.push(page);
    return page;
  };
  const fits = (page: Page, cost: { blocks: number; json: number }): boolean => {
    return page.blocks.length + page.reservedBlocks + cost.blocks <= limits.maxBlocks && page.json + cost.json <= limits.maxJson;
  };

  let page = newPage();
  units.forEach((unit, index) => {
    if (unit.kind === 'line') {
      const open = page.open;
      const sep = unit.separator;
      const max = unit.muted ? SLACK_LIMITS.contextText : SLACK_LIMITS.sectionText;
      if (open && open.group === unit.group && open.length + sep.length + unit.text.length <= max) {
        const extra = jsonTextSize(sep + unit.text);
        if (page.json + extra <= limits.maxJson) {
          const target = open.block.type === 'section' ? open.block.text : open.block.elements[0];
          if (target && 'text' in target && typeof target.text === 'string') {
            target.text += sep + unit.text;
            open.length += sep.length + unit.text.length;
            page.json += extra;
            return;
          }
        }
      }
      const block = lineBlock(unit);
      const cost = { blocks: 1, json: jsonSize(block) };
      if (!fits(page, cost) && page.blocks.length > 0) page = newPage();
      page.blocks.push(block);
      page.json += cost.json;
      page.open = { group: unit.group, block, length: unit.text.length };
      return;
    }

    const cost = unitCost(unit);
    const next = units[index + 1];
    // A heading is never left alone at the bottom of a message: it moves with what follows.
    const needed =
      unit.keepWithNext && next
        ? { blocks: cost.blocks + (next.kind === 'line' ? 1 : next.blocks.length), json: cost.json + unitCost(next).json }
        : cost;
    if (!fits(page, needed) && page.blocks.length > 0) page = newPage();
    page.blocks.push(...unit.blocks);
    page.json += cost.json;
    page.open = undefined;
  });
  return pages.filter((p) => p.blocks.length > 0).map((p) => p.blocks);
}

const CONTINUATION_RESERVE = { blocks: 1, json: 200 };

function continuationNote(part: number, total: number): ContextBlock {
  return mutedContext(`_Continued: part ${part} of ${total}_`);
}

function fallbackText(reply: Reply): string {
  const source = reply.summary.trim() || reply.blocks.find((b) => b.type === 'heading')?.text || 'Message from sendbot';
  return truncateEscaped(source, 2900);
}

/**
 * Renders a Reply as one or more Slack messages, each within every Block Kit limit. Continuations
 * start with a "Continued: part 2 of 3" note and carry "(part 2 of 3)" in their fallback text;
 * `reply.buttons` come at the end of the last message.
 */
export function renderBlocks(reply: Reply, opts: RenderOptions = {}): SlackMessage[] {
  const units = buildUnits(reply, opts);
  const pages = layoutPages(units, {
    maxBlocks: SLACK_LIMITS.blocksPerMessage,
    maxJson: SLACK_LIMITS.messageBlocksJson,
    continuationReserve: CONTINUATION_RESERVE,
  });
  const text = fallbackText(reply);
  if (pages.length === 0) return [{ text, blocks: [mrkdwnSection(text)] }];
  const total = pages.length;
  return pages.map((blocks, i) =>
    i === 0
      ? { text, blocks }
      : { text: `${text} (part ${i + 1} of ${total})`, blocks: [continuationNote(i + 1, total), ...blocks] },
  );
}

/**
 * Renders a Reply as the App Home tab (at most 100 blocks). What does not fit is left out, with a
 * note saying so, since a view cannot be split.
 */
export function renderAppHome(reply: Reply, opts: RenderOptions = {}): HomeView {
  const units = buildUnits(reply, opts);
  const notice = mutedContext('_There is more than fits here. Type `/send help` for commands that list it all._');
  const pages = layoutPages(units, {
    maxBlocks: SLACK_LIMITS.blocksPerView - 1,
    maxJson: SLACK_LIMITS.viewBlocksJson - jsonSize(notice),
    continuationReserve: { blocks: 0, json: 0 },
  });
  const first = pages[0] ?? [mrkdwnSection(fallbackText(reply))];
  return {
    type: 'home',
    callback_id: 'send_home',
    blocks: pages.length > 1 ? [...first, notice] : first,
  };
}

// ——— The update modal ———

export const UPDATE_MODAL_CALLBACK_ID = 'send_update_modal';

/** block_id of each input in the update modal. */
export const UPDATE_MODAL_BLOCKS = {
  action: 'action',
  status: 'status',
  percent: 'percent',
  note: 'note',
  evidence: 'evidence',
  due: 'due',
  dueReason: 'due_reason',
} as const;

/** action_id of the element inside each input. */
export const UPDATE_MODAL_ACTIONS = {
  action: 'action_select',
  status: 'status_select',
  percent: 'percent_input',
  note: 'note_input',
  evidence: 'evidence_input',
  due: 'due_date',
  dueReason: 'due_reason_input',
} as const;

export type UpdateModalField = keyof typeof UPDATE_MODAL_BLOCKS;

/** The status choices offered in the modal, in the order people think of them. */
export const MODAL_STATUS_OPTIONS: { value: ActionStatus; label: string }[] = [
  { value: 'green', label: '🟢 Green: on track' },
  { value: 'amber', label: '🟠 Amber: at risk' },
  { value: 'red', label: '🔴 Red: off track' },
  { value: 'blue', label: '🔵 Complete (blue)' },
  { value: 'not_started', label: '⚪ Not started' },
];

const NOTE_MAX = 3000;
const DUE_REASON_MAX = 500;

function option(text: string, value: string, description?: string): PlainTextOption {
  return {
    text: plain(text, SLACK_LIMITS.optionText),
    value: value.slice(0, SLACK_LIMITS.optionValue),
    ...(description ? { description: plain(description, SLACK_LIMITS.optionDescription) } : {}),
  };
}

function input(
  blockId: string,
  label: string,
  element: InputBlock['element'],
  extra: { optional?: boolean; hint?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, SLACK_LIMITS.inputLabel),
    element,
    optional: extra.optional ?? false,
    ...(extra.hint ? { hint: plain(extra.hint, 2000) } : {}),
  };
}

function errorNote(message: string): ContextBlock {
  return mutedContext(`❌ ${truncateEscaped(message, SLACK_LIMITS.contextText - 3)}`);
}

export interface UpdateModalOptions {
  /** Carried back on submission (e.g. the channel to answer in). At most 3000 characters. */
  privateMetadata: string;
  /** Messages to show under inputs, keyed by block_id (e.g. `{ percent: 'Use a number from 0 to 100.' }`). */
  errors?: Record<string, string>;
  /** Values to prefill, keyed by block_id (`action`, `status`, `percent`, `note`, `evidence`, `due`, `due_reason`). */
  values?: Partial<Record<string, string>>;
}

/** The "update an action" modal. */
export function renderUpdateModal(form: UpdateFormRequest, opts: UpdateModalOptions): ModalView {
  if (opts.privateMetadata.length > SLACK_LIMITS.privateMetadata) {
    throw new RangeError(`private_metadata is ${opts.privateMetadata.length} characters; Slack allows ${SLACK_LIMITS.privateMetadata}`);
  }
  const errors = opts.errors ?? {};
  const values = opts.values ?? {};
  const B = UPDATE_MODAL_BLOCKS;
  const A = UPDATE_MODAL_ACTIONS;
  const blocks: KnownBlock[] = [];
  const base = {
    type: 'modal' as const,
    callback_id: UPDATE_MODAL_CALLBACK_ID,
    private_metadata: opts.privateMetadata,
    title: plain('Update an action', SLACK_LIMITS.viewTitle),
    close: plain('Cancel', SLACK_LIMITS.viewTitle),
  };

  const choices = form.choices.filter((c) => c.ref.length > 0 && c.ref.length <= SLACK_LIMITS.optionValue);
  if (choices.length === 0) {
    blocks.push(mrkdwnSection('You have no actions you can update. Type `/send mine` to see what you own.'));
    return { ...base, blocks };
  }

  blocks.push(
    mutedContext(
      'What you write here is kept with your name and the time, as evidence for the board. ' +
        'Do not include anything that identifies a child.',
    ),
  );

  // Slack shows at most 100 options; the preselected action is always among them.
  const wanted = values[B.action] ?? form.ref;
  let shown = choices.slice(0, SLACK_LIMITS.optionsPerSelect);
  const preselected = choices.find((c) => c.ref === wanted);
  if (preselected && !shown.includes(preselected)) shown = [...shown.slice(0, SLACK_LIMITS.optionsPerSelect - 1), preselected];
  const actionOptions = shown.map((c) =>
    option(
      `${c.ref} · ${c.title}`,
      c.ref,
      `${STATUS_EMOJI[c.status] ?? ''} ${STATUS_SHORT[c.status] ?? c.status}${c.due ? ` · due ${formatDueDate(c.due)}` : ''}`,
    ),
  );
  const initialAction = preselected ? actionOptions[shown.indexOf(preselected)] : undefined;
  const actionSelect: StaticSelect = {
    type: 'static_select',
    action_id: A.action,
    placeholder: plain('Choose an action', SLACK_LIMITS.placeholder),
    options: actionOptions,
    ...(initialAction ? { initial_option: initialAction } : {}),
  };
  const more = choices.length - shown.length;
  blocks.push(
    input(B.action, 'Action', actionSelect, {
      ...(more > 0
        ? { hint: `Showing ${shown.length} of ${choices.length} actions. For one not listed, type /send update followed by its ref.` }
        : {}),
    }),
  );
  const pushError = (blockId: string): void => {
    const message = errors[blockId];
    if (message) blocks.push(errorNote(message));
  };
  pushError(B.action);

  const statusOptions = MODAL_STATUS_OPTIONS.map((s) => option(s.label, s.value));
  const initialStatus = statusOptions.find((o) => o.value === values[B.status]);
  const statusSelect: StaticSelect = {
    type: 'static_select',
    action_id: A.status,
    placeholder: plain('Leave as it is', SLACK_LIMITS.placeholder),
    options: statusOptions,
    ...(initialStatus ? { initial_option: initialStatus } : {}),
  };
  blocks.push(input(B.status, 'Status', statusSelect, { optional: true }));
  pushError(B.status);

  const percentValue = values[B.percent];
  const percent: NumberInput = {
    type: 'number_input',
    action_id: A.percent,
    is_decimal_allowed: false,
    min_value: '0',
    max_value: '100',
    placeholder: plain('0 to 100', SLACK_LIMITS.placeholder),
    ...(percentValue && /^\d{1,3}$/.test(percentValue) && Number(percentValue) <= 100 ? { initial_value: percentValue } : {}),
  };
  blocks.push(input(B.percent, 'Percent complete', percent, { optional: true }));
  pushError(B.percent);

  const noteValue = values[B.note];
  const note: PlainTextInput = {
    type: 'plain_text_input',
    action_id: A.note,
    multiline: true,
    max_length: NOTE_MAX,
    placeholder: plain('What has happened since the last update', SLACK_LIMITS.placeholder),
    ...(noteValue ? { initial_value: noteValue.slice(0, NOTE_MAX) } : {}),
  };
  blocks.push(input(B.note, 'What has happened since the last update?', note, { optional: true }));
  pushError(B.note);

  const evidenceValue = values[B.evidence];
  const evidence: URLInput = {
    type: 'url_text_input',
    action_id: A.evidence,
    placeholder: plain('https://…', SLACK_LIMITS.placeholder),
    ...(evidenceValue ? { initial_value: evidenceValue } : {}),
  };
  blocks.push(input(B.evidence, 'Link to evidence', evidence, { optional: true }));
  pushError(B.evidence);

  const dueValue = values[B.due];
  const due: Datepicker = {
    type: 'datepicker',
    action_id: A.due,
    placeholder: plain('Only if the date needs to change', SLACK_LIMITS.placeholder),
    ...(dueValue && /^\d{4}-\d{2}-\d{2}$/.test(dueValue) ? { initial_date: dueValue } : {}),
  };
  blocks.push(input(B.due, 'Revised due date', due, { optional: true }));
  pushError(B.due);

  const reasonValue = values[B.dueReason];
  const reason: PlainTextInput = {
    type: 'plain_text_input',
    action_id: A.dueReason,
    max_length: DUE_REASON_MAX,
    placeholder: plain('Why the date needs to change', SLACK_LIMITS.placeholder),
    ...(reasonValue ? { initial_value: reasonValue.slice(0, DUE_REASON_MAX) } : {}),
  };
  blocks.push(input(B.dueReason, 'Reason for the new date', reason, { optional: true, hint: 'Needed when you give a revised due date.' }));
  pushError(B.dueReason);

  // Errors for something that is not an input still deserve to be seen.
  const known = new Set<string>(Object.values(B));
  const other = Object.entries(errors).filter(([key, message]) => !known.has(key) && message);
  if (other.length > 0) blocks.splice(1, 0, ...other.map(([, message]) => errorNote(message)));

  return { ...base, submit: plain('Save update', SLACK_LIMITS.viewTitle), blocks };
}

/** The shape of `view.state.values` (structurally compatible with Bolt's ViewOutput). */
export type ViewStateValues = Record<
  string,
  Record<
    string,
    {
      type?: string;
      value?: string | null;
      selected_date?: string | null;
      selected_option?: { value: string } | null;
    }
  >
>;

export interface UpdateModalValues {
  ref?: string;
  status?: string;
  percent?: string;
  note?: string;
  evidenceUrl?: string;
  due?: string;
  dueReason?: string;
}

function readValue(state: ViewStateValues, blockId: string, actionId: string): string | undefined {
  const block = state[blockId];
  if (!block) return undefined;
  // Prefer our action_id, but accept the block's only element if it was renamed in an older view.
  const element = block[actionId] ?? Object.values(block)[0];
  if (!element) return undefined;
  const raw = element.selected_option?.value ?? element.selected_date ?? element.value ?? undefined;
  return raw === null || raw === undefined || raw.trim() === '' ? undefined : raw;
}

/** Reads the submitted update modal back into strings (undefined where left empty). */
export function readModalValues(state: ViewStateValues): UpdateModalValues {
  const B = UPDATE_MODAL_BLOCKS;
  const A = UPDATE_MODAL_ACTIONS;
  return {
    ref: readValue(state, B.action, A.action),
    status: readValue(state, B.status, A.status),
    percent: readValue(state, B.percent, A.percent),
    note: readValue(state, B.note, A.note),
    evidenceUrl: readValue(state, B.evidence, A.evidence),
    due: readValue(state, B.due, A.due),
    dueReason: readValue(state, B.dueReason, A.dueReason),
  };
}
