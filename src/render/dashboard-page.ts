// A board's dashboard as one server-rendered page: the figures a chair looks at first (tiles), RAG by
// plan, the KPI charts, then the detail behind each figure (exceptions, overdue, date changes,
// missing updates, updates received). Lists are complete up to MAX_TABLE_ROWS rows (the chat digest
// shows five): this is the page behind the digest. Pure: a function of the dashboard model and the
// link's expiry.
import type { BoardDashboard } from '../domain/dashboard-model.js';
import { showsRagChange } from '../domain/digest-parts.js';
import type { DigestAction, DigestDateRequest, DigestException, DigestMovedDate, DigestNoDate, DigestUpdate, PlanDigest } from '../domain/digest-model.js';
import { askedForNewDate, formatDate, formatInstant, plural, pluralWord, shortTitle } from './format.js';
import { kpiCard, sampleNote } from './kpi-card.js';
import { type Column, dataTable, escapeHtml, htmlPage, ragTable, statusBadge, tiles } from './page-shell.js';

const ACTION_CHARS = 160;
/**
 * Rows per table, and refs per owner. Real boards stay far below this; it keeps a page for a board
 * of tens of thousands of actions to a size a browser opens quickly and the server renders without
 * holding up chat requests. The note under a cut table says where the whole list is.
 */
export const MAX_TABLE_ROWS = 500;
const MAX_REFS_PER_OWNER = 200;

export interface DashboardPageOptions {
  /** When the link that opened the page stops working (UTC ISO). */
  linkExpiresAt: string;
}

export function renderDashboardPage(model: BoardDashboard, opts: DashboardPageOptions): string {
  const d = model.digest;
  const t = d.totals;
  const all = <T>(pick: (p: PlanDigest) => T[]): T[] => d.plans.flatMap(pick);
  const overdue = all((p) => p.overdue).sort((x, y) => (y.daysOverdue ?? 0) - (x.daysOverdue ?? 0));
  const offTrack = model.kpis.filter((k) => k.assessment.position === 'off_track').length;

  const masthead = [
    `<p class="eyebrow">${escapeHtml(d.partnership)}</p>`,
    `<h1>${escapeHtml(d.board.name)}: dashboard</h1>`,
    '<dl>',
    fact('Next meeting', d.meeting ? `${formatInstant(d.meeting.startsAt)}${d.meeting.isSample ? ' (sample date)' : ''}` : 'none scheduled'),
    d.meeting ? fact('Papers due', formatDate(d.meeting.papersDeadline)) : '',
    fact('Chair', d.chair.people.length ? `${d.chair.people.join(', ')} (${d.chair.role ?? 'chair'})` : (d.chair.role ?? 'not set')),
    fact('Changes since', d.previousMeeting ? `the meeting on ${formatDate(d.previousMeeting.date)}` : 'the start'),
    fact('Figures as of', formatInstant(d.generatedAt)),
    '</dl>',
  ].join('');

  const sections: string[] = [];
  sections.push(
    tiles([
      { value: t.actions, label: `${pluralWord(t.actions, 'action')} in ${plural(d.plans.length, 'plan')}` },
      { value: t.overdue, label: 'overdue', tone: 'alert', href: '#overdue' },
      { value: t.missingUpdates, label: 'missing an update', tone: 'alert', href: '#missing' },
      { value: t.dateChangeRequests, label: `${pluralWord(t.dateChangeRequests, 'date change')} to decide`, tone: 'alert', href: '#dates' },
      { value: t.movedDates, label: `${pluralWord(t.movedDates, 'due date')} moved from the plan`, href: '#dates' },
      { value: t.exceptions, label: pluralWord(t.exceptions, 'exception'), tone: 'alert', href: '#exceptions' },
      ...(model.kpis.length ? [{ value: offTrack, label: `of ${plural(model.kpis.length, 'KPI')} off track`, tone: 'alert' as const, href: '#kpis' }] : []),
      { value: t.updates, label: `${pluralWord(t.updates, 'update')} received`, tone: 'good', href: '#updates' },
    ]),
  );

  sections.push(
    section(
      'rag',
      'RAG by plan',
      ragTable(
        `RAG status of each plan's actions${showsRagChange(t.ragChange, ...d.plans.map((p) => p.ragChange)) ? ', with the change since the previous meeting in brackets' : ''}`,
        d.plans.map((p) => ({ code: p.code, title: p.title, rag: p.rag, change: p.ragChange })),
        d.plans.length > 1 ? { code: 'All plans', title: plural(t.actions, 'action'), rag: t.rag, change: t.ragChange } : undefined,
      ),
    ),
  );

  if (model.kpis.length) {
    sections.push(
      section(
        'kpis',
        'Key performance indicators',
        `<p>Each KPI's readings against the trajectory in the plan. ${plural(offTrack, 'KPI')} off track, ${model.kpis.filter((k) => k.assessment.position === 'no_reading').length} with no reading yet.</p>` +
          sampleNote(model.kpis) +
          `<div class="kpis">${model.kpis.map((k) => kpiCard(k, d.today, { people: true })).join('')}</div>`,
      ),
    );
  }

  const exceptions = all((p) => p.exceptions);
  sections.push(
    section(
      'exceptions',
      `Exceptions (${exceptions.length})`,
      exceptions.length
        ? capTable<DigestException>('Actions breaking an exception rule', [refCol<DigestException>((e) => e.action), actionCol((e) => e.action), { header: 'Why', cell: (e) => escapeHtml(exceptionWhy(e)) }, ownerCol((e) => e.action), statusCol((e) => e.action)], exceptions)
        : '<p>No action breaks an exception rule.</p>',
    ),
  );

  sections.push(
    section(
      'overdue',
      `Overdue (${overdue.length})`,
      overdue.length
        ? capTable<DigestAction>(
            'Overdue actions, most overdue first',
            [
              refCol((a) => a),
              actionCol((a) => a),
              ownerCol((a) => a),
              { header: 'Due', cell: (a) => escapeHtml(formatDate(a.due)), className: 'when' },
              { header: 'Working days overdue', cell: (a) => String(a.daysOverdue ?? ''), className: 'num' },
              statusCol((a) => a),
            ],
            overdue,
          )
        : '<p>Nothing is overdue.</p>',
    ),
  );

  const requests = all((p) => p.dateChangeRequests);
  const moved = all((p) => p.movedDates);
  sections.push(
    section(
      'dates',
      'Date changes against the original plan',
      `<h3>Waiting for a decision (${requests.length})</h3>` +
        (requests.length
          ? capTable<DigestDateRequest>(
              'Requests for a new due date',
              [
                refCol((r) => r.action),
                actionCol((r) => r.action),
                { header: 'Original date', cell: (r) => escapeHtml(formatDate(r.action.baselineDue)), className: 'when' },
                { header: 'Asked', cell: (r) => escapeHtml(`${formatDate(r.fromDue)} \u2192 ${formatDate(r.toDue)}`), className: 'when' },
                { header: 'By', cell: (r) => escapeHtml(`${r.requestedBy ?? 'unknown'}, ${formatDate(r.requestedAt.slice(0, 10))}`) },
                { header: 'Reason', cell: (r) => escapeHtml(r.reason ?? '') },
              ],
              requests,
            ) + '<p class="small muted">A chair or programme officer decides in chat: /send approve &lt;ref&gt; or /send reject &lt;ref&gt;.</p>'
          : '<p>No requests waiting.</p>') +
        `<h3>Moved from the original plan (${moved.length})</h3>` +
        (moved.length
          ? capTable<DigestMovedDate>(
              'Actions whose due date differs from the original plan',
              [
                refCol((m) => m.action),
                actionCol((m) => m.action),
                { header: 'Original date', cell: (m) => escapeHtml(formatDate(m.action.baselineDue)), className: 'when' },
                { header: 'Now due', cell: (m) => escapeHtml(formatDate(m.action.due)), className: 'when' },
                { header: 'Change', cell: (m) => escapeHtml(m.slipDays === null ? '' : `${m.slipDays > 0 ? '+' : m.slipDays < 0 ? '\u2212' : ''}${plural(Math.abs(m.slipDays), 'day')}`), className: 'num' },
                { header: 'Times moved', cell: (m) => String(m.moves.length), className: 'num' },
                statusCol((m) => m.action),
              ],
              moved,
            )
          : '<p>Every due date is as in the original plan.</p>'),
    ),
  );

  const missing = all((p) => p.missingUpdates);
  sections.push(
    section(
      'missing',
      `Missing updates (${missing.length})`,
      missing.length
        ? `<p>Not complete, and nothing reported ${d.previousMeeting ? `since the meeting on ${escapeHtml(formatDate(d.previousMeeting.date))}` : 'yet'}. By who should report:</p>` +
            dataTable(
              'Missing updates by owner',
              [
                { header: 'Owner', cell: (g) => escapeHtml(g.owner) },
                { header: 'Actions', cell: (g) => String(g.refs.length), className: 'num' },
                {
                  header: 'Refs',
                  // Each ref on one line ("WSOA-1.2", never "WSOA-" then "1.2"); the list wraps between refs.
                  cell: (g) => {
                    const shown = g.refs.slice(0, MAX_REFS_PER_OWNER).map((ref) => `<span class="ref">${escapeHtml(ref)}</span>`).join(', ');
                    const rest = g.refs.length - MAX_REFS_PER_OWNER;
                    return rest > 0 ? `${shown} and ${rest.toLocaleString('en-GB')} more` : shown;
                  },
                },
              ],
              byOwner(missing),
              { rowHeader: true },
            )
        : '<p>Every action has been reported on.</p>',
    ),
  );

  const updates = all((p) => p.updates).sort((x, y) => y.at.localeCompare(x.at));
  sections.push(
    section(
      'updates',
      `Updates received (${updates.length})`,
      updates.length
        ? capTable<DigestUpdate>(
            `Updates received ${d.previousMeeting ? `since ${formatDate(d.previousMeeting.date)}` : 'so far'}, newest first`,
            [
              { header: 'When', cell: (u) => escapeHtml(formatInstant(u.at)), className: 'when' },
              refCol((u) => u.action),
              { header: 'Reported', cell: (u) => (u.status ? statusBadge(u.status, u.percent) : escapeHtml(u.kind === 'no_change' ? 'no change' : u.percent !== null ? `${u.percent}%` : '')) },
              { header: 'By', cell: (u) => escapeHtml(u.person ?? 'unknown') },
              { header: 'What they said', cell: (u) => escapeHtml(updateSaid(u)) },
            ],
            updates,
          )
        : '<p>No updates received yet.</p>',
    ),
  );

  const noDate = all((p) => p.noDate);
  if (noDate.length) {
    sections.push(
      section(
        'no-date',
        `No usable date (${noDate.length})`,
        capTable<DigestNoDate>(
          'Actions whose due date needs checking',
          [refCol((n) => n.action), actionCol((n) => n.action), { header: 'Why', cell: (n) => escapeHtml(n.reasons.includes('no-date') ? 'no due date' : `date needs checking (${n.reasons.join(', ')})`) }],
          noDate,
        ),
      ),
    );
  }

  const footer = [
    `<p>Read-only. Owners update actions in chat (/send update). This link works until ${escapeHtml(formatInstant(opts.linkExpiresAt))}; for a new one, ask sendbot: <strong>/send dashboard</strong>.</p>`,
    `<p>sendbot, ${escapeHtml(d.partnership)}. Dates and times are UK time.</p>`,
  ].join('');
  return htmlPage({ title: `${d.board.name}: dashboard`, masthead, main: sections.join('\n'), footer });
}

/** A table of at most MAX_TABLE_ROWS rows, with a note saying how many were left out and where they are. */
function capTable<T>(caption: string, columns: Column<T>[], rows: T[], opts: Parameters<typeof dataTable<T>>[3] = {}): string {
  const shown = rows.length > MAX_TABLE_ROWS ? rows.slice(0, MAX_TABLE_ROWS) : rows;
  const note =
    shown.length < rows.length
      ? `<p class="small muted">Showing the first ${shown.length.toLocaleString('en-GB')} of ${rows.length.toLocaleString('en-GB')}. The whole list: sendbot export, or sendbot digest --full.</p>`
      : '';
  return dataTable(caption, columns, shown, opts) + note;
}

function fact(label: string, value: string): string {
  return `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${escapeHtml(title)}</h2>${body}</section>`;
}

function refCol<T>(action: (row: T) => DigestAction): Column<T> {
  return { header: 'Ref', cell: (r) => escapeHtml(action(r).ref), className: 'ref' };
}

/** Action text up to a few lines: the table is for scanning; the ref finds the rest (/send who). */
function actionCol<T>(action: (row: T) => DigestAction): Column<T> {
  return { header: 'Action', cell: (r) => escapeHtml(shortTitle(action(r).text, ACTION_CHARS)) };
}

function statusCol<T>(action: (row: T) => DigestAction): Column<T> {
  return { header: 'Status', cell: (r) => statusBadge(action(r).status, action(r).percent) };
}

function ownerCol<T>(action: (row: T) => DigestAction): Column<T> {
  return { header: 'Owner', cell: (r) => escapeHtml(ownerText(action(r))) };
}

/** "Morgan Demo (Head of SEND)", "Head of SEND (nobody holds this role)", or a named person. */
function ownerText(a: DigestAction): string {
  if (!a.owner) return 'no owner';
  if (a.ownerAssignedByName) return a.owner;
  return a.ownerHolders.length ? `${a.ownerHolders.join(', ')} (${a.owner})` : `${a.owner} (nobody holds this role)`;
}

function byOwner(actions: DigestAction[]): { owner: string; refs: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const a of actions) {
    const who = ownerText(a);
    const refs = groups.get(who);
    if (refs) refs.push(a.ref);
    else groups.set(who, [a.ref]);
  }
  return [...groups.entries()].map(([owner, refs]) => ({ owner, refs })).sort((x, y) => y.refs.length - x.refs.length || x.owner.localeCompare(y.owner));
}

function exceptionWhy(e: DigestException): string {
  return e.codes
    .map((code) => {
      switch (code) {
        case 'overdue_over_20_working_days':
          return 'overdue by more than 20 working days';
        case 'red_in_consecutive_updates':
          return `red in its last two updates (${e.redReportedAt.map((at) => formatDate(at.slice(0, 10))).reverse().join(', ')})`;
        case 'due_date_moved_more_than_once':
          return `due date moved ${plural(e.moveCount, 'time')}`;
      }
    })
    .join('; ');
}

function updateSaid(u: DigestUpdate): string {
  const parts = [u.kind === 'correction' ? 'correction' : null, askedForNewDate(u), u.note];
  return parts.filter(Boolean).join(': ');
}
