// Renders a platform-neutral Reply as Adaptive Cards 1.5, the card format Microsoft Teams shows.
// Pure functions: no botbuilder import, no I/O. The Teams adapter wraps each card with
// `toCardAttachment` and sends one message per card.
import type { ActionStatus } from '../../db/types.js';
import { STATUS_LABELS, STATUS_SHORT } from '../domain/status.js';
import { formatDate, plural, shortTitle } from './format.js';
import { ownerOf, POSITION_MARK, POSITION_WORD, valueText } from './kpi-text.js';
import { type ActionLine, isWebLink, type KpiLine, type Reply, type ReplyBlock, type ReplyButton, type ReplyLink, type UpdateFormRequest } from './reply.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_VERSION = '1.5';

/**
 * Microsoft measures a bot message as UTF-16 over the whole activity (2 bytes per UTF-16 code unit of
 * its JSON) and recommends staying under 80 KB.
 */
export const TEAMS_MESSAGE_LIMIT = 80 * 1024;
/**
 * Each card's JSON is kept under this many UTF-16 bytes: 24 KB below the limit leaves room for the
 * activity around the card (ids, conversation, serviceUrl, channelData: about 2 KB) with headroom.
 */
export const CARD_BUDGET = 56 * 1024;

/** A value's size as Microsoft counts it: UTF-16 bytes of its JSON. */
export function utf16Size(value: unknown): number {
  return JSON.stringify(value).length * 2;
}

/** Teams shows at most 100 choices well in a compact ChoiceSet. */
export const MAX_FORM_CHOICES = 100;

// ---------------------------------------------------------------------------------------------
// Card model (the subset of Adaptive Cards 1.5 that sendbot uses)

type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large';

interface ElementBase {
  id?: string;
  separator?: boolean;
  spacing?: Spacing;
}

export interface TextBlock extends ElementBase {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  weight?: 'Bolder';
  size?: 'Small' | 'Medium' | 'Large';
  isSubtle?: boolean;
  color?: 'Attention' | 'Warning' | 'Good' | 'Accent';
}

export interface FactSet extends ElementBase {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}

export interface Container extends ElementBase {
  type: 'Container';
  items: CardElement[];
}

interface InputBase extends ElementBase {
  id: string;
  label?: string;
  isRequired?: boolean;
  errorMessage?: string;
}

export interface ChoiceSetInput extends InputBase {
  type: 'Input.ChoiceSet';
  choices: { title: string; value: string }[];
  style?: 'compact' | 'expanded';
  value?: string;
  placeholder?: string;
}

export interface NumberInput extends InputBase {
  type: 'Input.Number';
  min?: number;
  max?: number;
  value?: number;
  placeholder?: string;
}

export interface TextInput extends InputBase {
  type: 'Input.Text';
  isMultiline?: boolean;
  maxLength?: number;
  style?: 'text' | 'url' | 'email' | 'tel';
  value?: string;
  placeholder?: string;
}

export interface DateInput extends InputBase {
  type: 'Input.Date';
  value?: string;
}

export type CardInput = ChoiceSetInput | NumberInput | TextInput | DateInput;
export type CardElement = TextBlock | FactSet | Container | CardInput | ActionSet;

/**
 * A button (Universal Actions): Teams sends an `adaptiveCard/action` invoke with `verb` and `data`
 * (the card's inputs merged in), and shows the card the bot answers with in place of this one.
 */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  /** What the button does: the same word as `data.sendbot`. */
  verb: CardVerb;
  data: Record<string, string>;
  style?: 'default' | 'positive' | 'destructive';
}

export type CardVerb = 'update_form' | 'no_change' | 'button';

/** Opens a web page (a dashboard link). */
export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/** Links go in the body as an ActionSet, after the content they belong to. */
export interface ActionSet extends ElementBase {
  type: 'ActionSet';
  actions: OpenUrlAction[];
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: typeof ADAPTIVE_CARD_SCHEMA;
  version: typeof ADAPTIVE_CARD_VERSION;
  /** Shown by clients that cannot render the card. */
  fallbackText?: string;
  body: CardElement[];
  actions?: ExecuteAction[];
  /** Teams: use the full message width, so digests are not squeezed. */
  msteams?: { width: 'Full' };
}

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCard;
}

/** The attachment Bot Framework expects (same shape as botbuilder's CardFactory.adaptiveCard). */
export function toCardAttachment(card: AdaptiveCard): CardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

// ---------------------------------------------------------------------------------------------
// Escaping

const ZWSP = '\u200B';

/**
 * Makes plain text safe for a TextBlock or Fact, which Teams reads as a Markdown subset.
 *
 * Why this approach (see microsoft/AdaptiveCards#523, #5590, #5758 and MicrosoftDocs/msteams-docs#5793):
 * - HTML entities are not an option: cards are not HTML, and clients decode entities
 *   inconsistently, so `&lt;` may show literally or turn back into `<`.
 * - Markdown control characters get a backslash, which CommonMark (and every current Teams
 *   client) treats as "literal next character": `\` `*` `_` `` ` `` `~` `[` `]` anywhere, and at
 *   the start of a line `#` `>` `-` `+` `=` and the `.`/`)` after a number (lists, quotes,
 *   headings). Parentheses are left alone: without an unescaped `[...]` they cannot form a link,
 *   and escaping them would scatter backslashes through ordinary prose on older mobile clients
 *   that show escapes literally.
 * - Things a backslash cannot stop get a zero-width space (U+200B) instead, which is invisible:
 *   after `<` (no `<at>` mention, HTML tag or `<https://…>` autolink can form), after `&` when it
 *   starts an entity, after `://` and after the dot of `name.tld` (no bare-URL or `www.` or domain
 *   auto-linking), and between `{{` (no `{{DATE(…)}}` / `{{TIME(…)}}` substitution).
 * - `@channel`/`@team` are plain words in Teams: a mention exists only with an `msteams.entities`
 *   entry, and sendbot's cards never carry one.
 * - Leading whitespace is dropped (four spaces would start a code block) and each newline becomes
 *   a blank line, because TextBlock Markdown joins single newlines into one paragraph.
 */
export function escapeCardText(text: string): string {
  return normaliseLines(text)
    .map((line) => escapeLine(line))
    .join('\n\n');
}

function normaliseLines(text: string): string[] {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, ' ')
      // Other control characters have no meaning in a card and some clients choke on them.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
      .split('\n')
      .map((line) => line.replace(/^\s+/, ''))
  );
}

function escapeLine(line: string): string {
  const neutralised = line
    .replace(/</g, `<${ZWSP}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, `&${ZWSP}`)
    .replace(/:\/\//g, `://${ZWSP}`)
    .replace(/([A-Za-z0-9-]\.)(?=[A-Za-z]{2,})/g, `$1${ZWSP}`)
    .replace(/\{\{/g, `{${ZWSP}{`);
  const escaped = neutralised.replace(/[\\*_`~[\]]/g, '\\$&');
  // Block-level markers only count at the start of a line.
  return escaped.replace(/^([#>+=-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * For text Teams shows without Markdown (choice titles, input labels, button titles, fallback
 * text): no backslashes, which would show literally; only the mention/tag opener and URL schemes
 * are broken, in case a client auto-links or parses them anyway.
 */
function plainCardText(text: string, max = 200): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/</g, `<${ZWSP}`)
    .replace(/:\/\//g, `://${ZWSP}`);
  return truncate(flat, max);
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

// ---------------------------------------------------------------------------------------------
// Blocks → card elements

const STATUS_SYMBOLS: Record<ActionStatus, string> = {
  green: '🟢',
  amber: '🟠',
  red: '🔴',
  blue: '🔵',
  not_started: '⚪',
};

/** Longest plain-text run put in one TextBlock; long notes become several blocks. */
const MAX_BLOCK_CHARS = 2000;

const textBlock = (text: string, extra: Partial<TextBlock> = {}): TextBlock => ({ type: 'TextBlock', text, wrap: true, ...extra });

/** "due 31 Mar 2025" (or "due <phrase>" when the stored value is not an ISO date). */
function dueText(due: string): string {
  return `due ${formatDate(due)}`;
}

function ownerText(line: ActionLine): string | undefined {
  const holders = line.ownerHolders;
  if (line.owner) {
    if (!holders) return `owner: ${line.owner}`;
    return holders.length > 0 ? `owner: ${line.owner} (${holders.join(', ')})` : `owner: ${line.owner} (nobody holds this role)`;
  }
  if (holders && holders.length > 0) return `owner: ${holders.join(', ')}`;
  return undefined;
}

/** One action as a compact Container: bold ref and short title, then a muted status line. */
export function renderActionLine(line: ActionLine): Container {
  const meta: string[] = [`${STATUS_SYMBOLS[line.status]} ${STATUS_SHORT[line.status]}`];
  if (line.due) meta.push(dueText(line.due));
  else if (line.dueInstead) meta.push(line.dueInstead);
  if (line.percent !== null && line.percent !== undefined) meta.push(`${line.percent}%`);
  if (line.daysOverdue) meta.push(`${plural(line.daysOverdue, 'working day')} overdue`);
  const owner = ownerText(line);
  if (owner) meta.push(owner);

  const items: CardElement[] = [
    textBlock(`**${escapeCardText(truncate(line.ref, 40))}** ${escapeCardText(shortTitle(line.title, 120))}`),
    textBlock(escapeCardText(truncate(meta.join(' · '), 400)), { isSubtle: true, spacing: 'None' }),
  ];
  if (line.detail) items.push(textBlock(escapeCardText(truncate(line.detail, 400)), { isSubtle: true, spacing: 'None' }));
  return { type: 'Container', items };
}

/** Splits long plain text into runs of at most `max` characters, preferring line or word breaks. */
function splitText(text: string, max = MAX_BLOCK_CHARS): string[] {
  const chars = Array.from(text);
  if (chars.length <= max) return [text];
  const parts: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = Math.min(start + max, chars.length);
    if (end < chars.length) {
      const window = chars.slice(start, end).join('');
      const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
      // Only break at whitespace when that keeps at least half the run.
      if (cut > max / 2) end = start + Array.from(window.slice(0, cut)).length;
    }
    parts.push(chars.slice(start, end).join('').trim());
    start = end;
  }
  return parts.filter((part) => part.length > 0);
}

/** Groups weighted items so each group's total weight stays under `max`. */
function chunkBy<T>(items: T[], weight: (item: T) => number, max: number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length > 0 && total + w > max) {
      groups.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += w;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The elements for one block. Each element is small enough to go in any card on its own. */
function renderBlock(block: Exclude<ReplyBlock, { type: 'divider' }>): CardElement[] {
  switch (block.type) {
    case 'heading':
      return [textBlock(escapeCardText(truncate(block.text, 300)), { weight: 'Bolder', size: 'Medium' })];
    case 'text':
      return splitText(block.text).map((part) => textBlock(escapeCardText(part), block.muted ? { isSubtle: true } : {}));
    case 'fields': {
      const facts = block.fields.flatMap((field) =>
        splitText(field.value).map((value, i) => ({
          title: i === 0 ? escapeCardText(truncate(field.label, 100)) : '',
          value: escapeCardText(value),
        })),
      );
      return chunkBy(facts, (fact) => fact.title.length + fact.value.length + 30, MAX_BLOCK_CHARS * 2).map((group) => ({
        type: 'FactSet' as const,
        facts: group,
      }));
    }
    case 'list': {
      const lines = block.items.flatMap((item) => splitText(item)).map((item) => `• ${escapeCardText(item)}`);
      return chunkBy(lines, (line) => line.length + 2, MAX_BLOCK_CHARS * 2).map((group) => textBlock(group.join('\n\n')));
    }
    case 'actions': {
      const out: CardElement[] = [];
      if (block.heading) out.push(textBlock(escapeCardText(truncate(block.heading, 300)), { weight: 'Bolder' }));
      if (block.items.length === 0) out.push(textBlock(escapeCardText(block.emptyText ?? 'No actions to show.'), { isSubtle: true }));
      for (const line of block.items) out.push(renderActionLine(line));
      return out;
    }
    case 'kpis': {
      const out: CardElement[] = [];
      if (block.heading) out.push(textBlock(escapeCardText(truncate(block.heading, 300)), { weight: 'Bolder' }));
      if (block.items.length === 0) out.push(textBlock(escapeCardText(block.emptyText ?? 'No KPIs.'), { isSubtle: true }));
      for (const line of block.items) out.push(renderKpiLine(line));
      return out;
    }
  }
}

/** One KPI as a compact Container: bold code and name, its position and figures, then trend and owner. */
export function renderKpiLine(line: KpiLine): Container {
  const facts = [`${POSITION_MARK[line.position]} ${POSITION_WORD[line.position]}`, valueText(line)];
  const more: string[] = [];
  if (line.sparkline) more.push(`trend ${line.sparkline}`);
  if (line.nextTarget) more.push(`next ${line.nextTarget}`);
  const owner = ownerOf(line);
  if (owner) more.push(`owner: ${owner}`);
  if (line.detail) more.push(line.detail);
  const items: CardElement[] = [
    textBlock(`**${escapeCardText(truncate(line.code, 40))}** ${escapeCardText(shortTitle(line.name, 120))}`),
    textBlock(escapeCardText(truncate(facts.join(' · '), 400)), { spacing: 'None' }),
  ];
  if (more.length) items.push(textBlock(escapeCardText(truncate(more.join(' · '), 400)), { isSubtle: true, spacing: 'None' }));
  return { type: 'Container', items };
}

/** Body elements for the whole reply, in order; a divider puts a separator on the next element. */
function renderBody(reply: Reply): CardElement[] {
  const body: CardElement[] = [];
  const hasBlocks = reply.blocks.some((block) => block.type !== 'divider');
  if (reply.tone === 'error' || reply.tone === 'warning') {
    body.push(textBlock(escapeCardText(reply.summary), { color: reply.tone === 'error' ? 'Attention' : 'Warning', weight: 'Bolder' }));
  } else if (!hasBlocks) {
    body.push(textBlock(escapeCardText(reply.summary)));
  }
  let separateNext = false;
  for (const block of reply.blocks) {
    if (block.type === 'divider') {
      separateNext = body.length > 0;
      continue;
    }
    const elements = renderBlock(block);
    const first = elements[0];
    if (separateNext && first) {
      first.separator = true;
      first.spacing = 'Medium';
      separateNext = false;
    }
    body.push(...elements);
  }
  return body;
}

function renderLinks(links: ReplyLink[]): ActionSet[] {
  const actions = links.filter((l) => isWebLink(l.url)).map((l): OpenUrlAction => ({ type: 'Action.OpenUrl', title: plainCardText(l.label, 60), url: l.url }));
  return actions.length ? [{ type: 'ActionSet', actions }] : [];
}

function renderButtons(buttons: ReplyButton[]): ExecuteAction[] {
  return buttons.map((button) => ({
    type: 'Action.Execute',
    verb: 'button',
    title: plainCardText(button.label, 60),
    data: { sendbot: 'button', id: button.id, value: button.value },
    ...(button.style === 'primary' ? { style: 'positive' as const } : button.style === 'danger' ? { style: 'destructive' as const } : {}),
  }));
}

// ---------------------------------------------------------------------------------------------
// Update form

export type UpdateFormField = 'action' | 'status' | 'percent' | 'note' | 'evidence' | 'due' | 'due_reason';

export interface UpdateFormOptions {
  /** Messages keyed by field id (see UpdateFormField); `form` for a message about the whole form. */
  errors?: Partial<Record<UpdateFormField | 'form', string>>;
  /** Values to show again, keyed by field id (what the person submitted last time). */
  values?: Partial<Record<UpdateFormField, string>>;
}

const STATUS_ORDER: ActionStatus[] = ['green', 'amber', 'red', 'blue', 'not_started'];

function choiceTitle(choice: UpdateFormRequest['choices'][number]): string {
  const due = choice.due ? `, ${dueText(choice.due)}` : '';
  return plainCardText(`${truncate(choice.ref, 40)} · ${shortTitle(choice.title, 80)} (${STATUS_SHORT[choice.status]}${due})`, 160);
}

/** At most `max` choices, always keeping the preselected one. */
function limitChoices(form: UpdateFormRequest, max: number): UpdateFormRequest['choices'] {
  if (form.choices.length <= max) return form.choices;
  const kept = form.choices.slice(0, max);
  const selected = form.ref ? form.choices.find((choice) => choice.ref === form.ref) : undefined;
  if (selected && !kept.includes(selected)) kept[max - 1] = selected;
  return kept;
}

interface FormParts {
  body: CardElement[];
  actions: ExecuteAction[];
}

function renderFormParts(form: UpdateFormRequest, opts: UpdateFormOptions, maxChoices = MAX_FORM_CHOICES): FormParts {
  const errors = opts.errors ?? {};
  const values = opts.values ?? {};
  const body: CardElement[] = [];
  const withError = (input: CardElement, field: UpdateFormField): void => {
    body.push(input);
    const message = errors[field];
    if (message) body.push(textBlock(escapeCardText(message), { color: 'Attention', spacing: 'None', id: `${field}_error` }));
  };

  const choices = limitChoices(form, maxChoices);
  const only = choices.length === 1 ? choices[0]?.ref : undefined;
  const heading = only ?? form.ref;
  body.push(
    textBlock(escapeCardText(heading ? `Update ${heading}` : 'Update an action'), { weight: 'Bolder', size: 'Medium', separator: true }),
  );
  body.push(textBlock('Fill in what has changed and leave the rest blank, or choose No change.', { isSubtle: true, spacing: 'None' }));
  if (errors.form) body.push(textBlock(escapeCardText(errors.form), { color: 'Attention' }));
  if (form.choices.length > choices.length) {
    body.push(
      textBlock(escapeCardText(`Showing ${choices.length} of ${form.choices.length} actions: use the update command for the rest.`), {
        isSubtle: true,
      }),
    );
  }

  const selected = values.action ?? form.ref ?? only;
  withError(
    {
      type: 'Input.ChoiceSet',
      id: 'action',
      label: 'Action',
      style: 'compact',
      isRequired: true,
      errorMessage: 'Choose the action you are updating.',
      placeholder: 'Choose an action',
      choices: choices.map((choice) => ({ title: choiceTitle(choice), value: choice.ref })),
      ...(selected ? { value: selected } : {}),
    },
    'action',
  );
  withError(
    {
      type: 'Input.ChoiceSet',
      id: 'status',
      label: 'Status (optional)',
      style: 'compact',
      placeholder: 'Unchanged',
      choices: STATUS_ORDER.map((status) => ({ title: `${STATUS_SYMBOLS[status]} ${STATUS_LABELS[status]}`, value: status })),
      ...(values.status && (STATUS_ORDER as string[]).includes(values.status) ? { value: values.status } : {}),
    },
    'status',
  );
  const percent = values.percent !== undefined && values.percent.trim() !== '' ? Number(values.percent) : Number.NaN;
  withError(
    {
      type: 'Input.Number',
      id: 'percent',
      label: 'Percent complete (optional)',
      min: 0,
      max: 100,
      placeholder: '0 to 100',
      errorMessage: 'Enter a whole number from 0 to 100.',
      ...(Number.isFinite(percent) ? { value: percent } : {}),
    },
    'percent',
  );
  withError(
    {
      type: 'Input.Text',
      id: 'note',
      label: 'What has happened since the last update?',
      isMultiline: true,
      maxLength: 3000,
      placeholder: 'No personal details about children, please.',
      ...(values.note ? { value: values.note } : {}),
    },
    'note',
  );
  withError(
    {
      type: 'Input.Text',
      id: 'evidence',
      label: 'Link to evidence (optional)',
      style: 'url',
      maxLength: 2000,
      placeholder: 'https://…',
      ...(values.evidence ? { value: values.evidence } : {}),
    },
    'evidence',
  );
  withError(
    {
      type: 'Input.Date',
      id: 'due',
      label: 'New due date (only if it has to change)',
      ...(values.due && /^\d{4}-\d{2}-\d{2}$/.test(values.due) ? { value: values.due } : {}),
    },
    'due',
  );
  withError(
    {
      type: 'Input.Text',
      id: 'due_reason',
      label: 'Why the date has to change',
      maxLength: 500,
      ...(values.due_reason ? { value: values.due_reason } : {}),
    },
    'due_reason',
  );

  return {
    body,
    actions: [
      { type: 'Action.Execute', verb: 'update_form', title: 'Submit update', style: 'positive', data: { sendbot: 'update_form' } },
      { type: 'Action.Execute', verb: 'no_change', title: 'No change', data: { sendbot: 'no_change' } },
    ],
  };
}

function newCard(body: CardElement[], fallbackText?: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: ADAPTIVE_CARD_SCHEMA,
    version: ADAPTIVE_CARD_VERSION,
    ...(fallbackText ? { fallbackText: plainCardText(fallbackText, 300) } : {}),
    body,
    msteams: { width: 'Full' },
  };
}

/** The card with a small plain-text line under its body ("Updated by Sam Lead, 10:42"). */
export function withFootnote(card: AdaptiveCard, note: string): AdaptiveCard {
  return { ...card, body: [...card.body, textBlock(escapeCardText(truncate(note, 200)), { isSubtle: true, size: 'Small', spacing: 'Medium' })] };
}

/** The update form on its own card: inputs, field errors under their field, Submit and No change. */
export function renderUpdateFormCard(form: UpdateFormRequest, opts: UpdateFormOptions = {}): AdaptiveCard {
  const parts = fitFormParts(form, opts, 0);
  const card = newCard(parts.body, 'Update an action');
  card.actions = parts.actions;
  return card;
}

/** The form, with fewer choices if that is what it takes to fit a card beside `reserved` bytes. */
function fitFormParts(form: UpdateFormRequest, opts: UpdateFormOptions, reserved: number): FormParts {
  let max = MAX_FORM_CHOICES;
  for (;;) {
    const parts = renderFormParts(form, opts, max);
    if (max <= 1 || reserved + bytes(newCard(parts.body)) + bytes(parts.actions) <= CARD_BUDGET) return parts;
    max = Math.floor(max * 0.8);
  }
}

// ---------------------------------------------------------------------------------------------
// Card submits

export interface UpdateFormSubmit {
  kind: 'update_form';
  /** '' when no action was chosen: reply with the form again and an error on `action`. */
  ref: string;
  /** Raw values as typed, trimmed; absent when left blank. The update command validates them. */
  status?: string;
  percent?: string;
  note?: string;
  evidenceUrl?: string;
  due?: string;
  dueReason?: string;
  /** Fields that arrived as something other than text or a number (an object, a list): refused, never dropped. */
  wrongTypes?: UpdateFormField[];
}

export type CardSubmit =
  | UpdateFormSubmit
  | { kind: 'no_change'; ref: string }
  | { kind: 'button'; id: ReplyButton['id']; value: string };

const BUTTON_IDS: readonly string[] = ['update', 'no_change', 'confirm', 'cancel'] satisfies ReplyButton['id'][];

/** A submitted value as a trimmed string; numbers are accepted (some clients send Input.Number as one). */
function field(value: Record<string, unknown>, key: string): string | undefined {
  const raw = value[key];
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : undefined;
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

/** Absent, text, or a finite number: what a card's inputs send. */
const isTextLike = (raw: unknown): boolean => raw === undefined || raw === null || typeof raw === 'string' || (typeof raw === 'number' && Number.isFinite(raw));

/**
 * Reads the data of a button on one of sendbot's cards: an Action.Execute invoke's `action.data`, or
 * `activity.value` from an Action.Submit on a card sent before sendbot moved to Universal Actions.
 * Teams merges the card's input values into the action's data, so an update arrives as
 * `{ sendbot: 'update_form', action: 'ND-1.2', status: 'amber', percent: '60', … }`.
 * Anything else (another app's card, a forged or damaged payload) gives undefined.
 */
export function readCardSubmit(value: unknown): CardSubmit | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const data = value as Record<string, unknown>;
  switch (data.sendbot) {
    case 'update_form': {
      const submit: UpdateFormSubmit = { kind: 'update_form', ref: field(data, 'action') ?? '' };
      const wrongTypes = (['action', 'status', 'percent', 'note', 'evidence', 'due', 'due_reason'] as const).filter((id) => !isTextLike(data[id]));
      if (wrongTypes.length > 0) submit.wrongTypes = wrongTypes;
      const pairs: [Exclude<keyof UpdateFormSubmit, 'kind' | 'ref' | 'wrongTypes'>, UpdateFormField][] = [
        ['status', 'status'],
        ['percent', 'percent'],
        ['note', 'note'],
        ['evidenceUrl', 'evidence'],
        ['due', 'due'],
        ['dueReason', 'due_reason'],
      ];
      for (const [key, id] of pairs) {
        const v = field(data, id);
        if (v !== undefined) submit[key] = v;
      }
      return submit;
    }
    case 'no_change':
      return { kind: 'no_change', ref: field(data, 'action') ?? '' };
    case 'button': {
      const id = data.id;
      const buttonValue = data.value;
      if (typeof id !== 'string' || !BUTTON_IDS.includes(id) || typeof buttonValue !== 'string') return undefined;
      return { kind: 'button', id: id as ReplyButton['id'], value: buttonValue };
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Whole replies, split to fit

export interface RenderCardsOptions {
  /**
   * Append the update form to the last card (a nudge): its choices are `reply.form` or else every
   * action line in the reply. Undefined: append it only when the reply has a `form`. False: never.
   * The form replaces any 'update' and 'no_change' buttons; with no choices it is left out.
   */
  updateForm?: boolean;
}

const bytes = utf16Size;

function formFromLines(reply: Reply): UpdateFormRequest {
  if (reply.form) return reply.form;
  const seen = new Set<string>();
  const choices: UpdateFormRequest['choices'] = [];
  for (const block of reply.blocks) {
    if (block.type !== 'actions') continue;
    for (const line of block.items) {
      if (seen.has(line.ref)) continue;
      seen.add(line.ref);
      choices.push({ ref: line.ref, title: line.title, status: line.status, due: line.due ?? null });
    }
  }
  return { choices };
}

function continuationTitle(reply: Reply): string {
  const heading = reply.blocks.find((block) => block.type === 'heading');
  return truncate(heading?.type === 'heading' ? heading.text : reply.summary, 200);
}

const continuationBlock = (title: string, part: number, total: number): TextBlock =>
  textBlock(`${escapeCardText(title)} (part ${part} of ${total})`, { weight: 'Bolder', size: 'Medium' });

/**
 * One or more Adaptive Cards for a reply, each under CARD_BUDGET bytes of JSON.
 *
 * Splitting: the body is built as a list of self-contained elements (an action is one Container;
 * long text, lists and fact sets are already cut into bounded pieces), then packed greedily in
 * order. A continuation card starts with "<first heading or summary> (part k of N)". The form and
 * the buttons go on the last card, or on a card of their own when they do not fit there.
 */
export function renderCards(reply: Reply, opts: RenderCardsOptions = {}): AdaptiveCard[] {
  const form = opts.updateForm === false ? undefined : opts.updateForm || reply.form ? formFromLines(reply) : undefined;
  // A form with nothing to choose would only confuse: leave it (and keep the buttons) instead.
  const withForm = form !== undefined && form.choices.length > 0;
  const body = [...renderBody(reply), ...renderLinks(reply.links ?? [])];
  const buttons = renderButtons((reply.buttons ?? []).filter((b) => !(withForm && (b.id === 'update' || b.id === 'no_change'))));

  const title = continuationTitle(reply);
  // Room for the card skeleton and the longest continuation heading that could be added.
  const skeleton = bytes(newCard([continuationBlock(title, 999, 999)], reply.summary)) + bytes({ actions: [] });
  const room = CARD_BUDGET - skeleton;

  const pages: CardElement[][] = [[]];
  let used = 0;
  for (const element of body) {
    const size = bytes(element) + 1;
    const page = pages[pages.length - 1] as CardElement[];
    if (page.length > 0 && used + size > room) {
      pages.push([element]);
      used = size;
    } else {
      page.push(element);
      used += size;
    }
  }

  let trailerBody: CardElement[] = [];
  let actions: ExecuteAction[] = [...buttons];
  if (withForm) {
    const parts = fitFormParts(form, {}, skeleton + bytes(buttons));
    trailerBody = parts.body;
    actions = [...parts.actions, ...buttons];
  }
  const trailerSize = trailerBody.reduce((sum, element) => sum + bytes(element) + 1, 0) + bytes(actions);
  if (trailerBody.length > 0 || actions.length > 0) {
    const last = pages[pages.length - 1] as CardElement[];
    if (last.length > 0 && used + trailerSize > room) pages.push([...trailerBody]);
    else last.push(...trailerBody);
  }

  const total = pages.length;
  const cards = pages.map((page, i) => {
    const card = newCard(i === 0 ? page : [continuationBlock(title, i + 1, total), ...page], reply.summary);
    if (i === total - 1 && actions.length > 0) card.actions = actions;
    return card;
  });
  for (const card of cards) {
    // Every element was sized against the budget above, so this only fires on a renderer bug.
    if (bytes(card) > CARD_BUDGET) throw new Error(`Adaptive Card is ${bytes(card)} bytes, over the ${CARD_BUDGET} budget`);
  }
  return cards;
}
