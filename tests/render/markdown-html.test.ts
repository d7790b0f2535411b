import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInstant, toStoredInstant } from '../../src/clock.js';
import { digestToReply } from '../../src/render/digest-reply.js';
import { escapeHtml, renderHtml } from '../../src/render/html.js';
import { escapeMarkdownInline, escapeMarkdownParagraph, renderMarkdown } from '../../src/render/markdown.js';
import { fields, heading, list, reply, type Reply, text } from '../../src/render/reply.js';
import type { Db } from '../../src/store/database.js';
import { loadBoardDigest } from '../../src/store/digest-loader.js';
import { loadPlanningState } from '../../src/store/planning-state-repository.js';
import { DIGEST_NOW, scriptedDemoDb } from '../helpers/digest-demo.js';
import { closeTestDb, testDbAt } from '../helpers/test-db.js';

const EVIL = '<script>alert(1)</script> [x](https://evil) **b** | pipe';
/** EVIL as Markdown must write it: every markup character escaped, the autolink broken. */
const EVIL_MD = '\\<script\\>alert(1)\\</script\\> \\[x\\](https\\://evil) \\*\\*b\\*\\* \\| pipe';
const EVIL_HTML = '&lt;script&gt;alert(1)&lt;/script&gt; [x](https://evil) **b** | pipe';

/** A reply with the hostile note in every kind of block. */
function hostileReply(): Reply {
  return reply('warning', `Digest ${EVIL}`, [
    heading(EVIL),
    text(EVIL),
    text(EVIL, true),
    fields([
      ['Note', EVIL],
      [EVIL, 'value'],
    ]),
    list([EVIL, 'plain item']),
    {
      type: 'actions',
      heading: EVIL,
      items: [
        { ref: 'ND-1.2', title: EVIL, owner: 'Head of SEND', ownerHolders: ['Morgan Demo'], due: '2025-07-31', status: 'amber', percent: 60, detail: EVIL },
        { ref: 'ND-4.1', title: 'Quiet one', due: '2024-09-30', status: 'red', daysOverdue: 42 },
      ],
    },
    { type: 'actions', heading: 'Empty', items: [], emptyText: EVIL },
    { type: 'divider' },
  ]);
}

describe('Markdown escaping', () => {
  it('makes a hostile note inert wherever it appears', () => {
    const md = renderMarkdown(hostileReply());
    // Our Markdown never writes < or > itself, so any unescaped one would be the note's.
    expect(md).not.toMatch(/(?<!\\)[<>]/);
    expect(md).not.toMatch(/(?<!\\)\[x(?<!\\)\]\(/);
    expect(md).not.toContain('](https://');
    expect(md).not.toContain('**b**');
    expect(md).not.toContain('https://');
    // Heading, paragraph, muted paragraph, field label and value, list item, table heading, cell, detail, empty text.
    expect(md.split(EVIL_MD).length - 1).toBeGreaterThanOrEqual(10);
    expect(md).toContain(`## ${EVIL_MD}`);
    expect(md).toContain(`*${EVIL_MD}*`);
    expect(md).toContain(`- **Note:** ${EVIL_MD}`);
  });

  it('keeps every table row to the header’s column count (a | in text cannot add a cell)', () => {
    const md = renderMarkdown(hostileReply());
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    expect(rows.length).toBe(4);
    expect(new Set(rows.map(cells)).size).toBe(1);
    expect(rows[0]).toBe('| Ref | Action | Due | Status | Working days overdue | Owner | Detail |');
    expect(rows[3]).toBe('| ND-4.1 | Quiet one | 30 Sep 2024 | red | 42 |  |  |');
  });

  it('escapes what only matters at the start of a line, and keeps line breaks inside table cells out', () => {
    expect(escapeMarkdownParagraph('# not a heading\n- not a list\n1. not ordered\n    not code\n> not a quote')).toBe(
      '\\# not a heading\\\n\\- not a list\\\n1\\. not ordered\\\nnot code\\\n\\> not a quote',
    );
    expect(escapeMarkdownInline('two\nlines | here')).toBe('two lines \\| here');
    expect(escapeMarkdownInline('a_b `code` ~strike~ & www.evil.example')).toBe('a\\_b \\`code\\` \\~strike\\~ \\& www\\.evil.example');
    expect(escapeMarkdownInline('back\\slash')).toBe('back\\\\slash');
  });
});

describe('HTML rendering', () => {
  it('escapes & < > " \' in every string', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    const html = renderHtml(hostileReply());
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/<a\b/);
    expect(html).not.toContain('<b>');
    expect(html.split(EVIL_HTML).length - 1).toBeGreaterThanOrEqual(10);
  });

  it('is a self-contained document with balanced tags', () => {
    const html = renderHtml(hostileReply());
    expect(html.startsWith('<!doctype html>\n<html lang="en-GB">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/<style>[^<]+<\/style>/);
    // Nothing fetched from elsewhere: no scripts, stylesheets, images or links.
    expect(html).not.toMatch(/\b(src|href)=/);
    expectBalanced(html);
  });

  it('shows status as a word beside its colour', () => {
    const html = renderHtml(hostileReply());
    expect(html).toContain('<span class="status status-amber">amber 60%</span>');
    expect(html).toContain('<span class="status status-red">red</span>');
    expect(html).toContain('<th scope="col">Status</th>');
  });
});

describe('a real digest as Markdown and HTML', () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDbAt(await scriptedDemoDb());
  });
  afterAll(() => closeTestDb(db));

  it('renders the full board paper as balanced HTML and escaped Markdown', async () => {
    const board = (await loadPlanningState(db)).boards.find((b) => b.name === 'SEND Partnership Board')!;
    const digest = await loadBoardDigest(db, board.id, toStoredInstant(parseInstant(DIGEST_NOW)));
    const r = digestToReply(digest, { full: true });
    const html = renderHtml(r);
    expectBalanced(html);
    expect(html).toContain('still no panel chair &amp; no start date');
    const md = renderMarkdown(r);
    expect(md).toContain('still no panel chair \\& no start date');
    expect(md.startsWith('# SEND Partnership Board: digest for the meeting on Wed 4 Dec 2024, 14:00\n')).toBe(true);
  });
});

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'col', 'area', 'base', 'source', 'wbr']);

/** A small well-formedness check: every non-void tag closes, in order; attributes are quoted. */
function expectBalanced(html: string): void {
  const stack: string[] = [];
  const body = html.replace(/^<!doctype html>/i, '').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*>|<|>/g)) {
    if (m[0] === '<' || m[0] === '>') throw new Error(`stray ${m[0]} at ${m.index}: ${body.slice(Math.max(0, (m.index ?? 0) - 40), (m.index ?? 0) + 40)}`);
    const [, closing, name] = m as unknown as [string, string, string];
    const tag = name.toLowerCase();
    if (VOID.has(tag)) continue;
    if (!closing) stack.push(tag);
    else expect(stack.pop(), `closing </${tag}> at ${m.index}`).toBe(tag);
  }
  expect(stack).toEqual([]);
}
