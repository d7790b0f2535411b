// The platform-neutral message model: the Reply every command and every scheduled message returns,
// and every renderer (Block Kit, Adaptive Card, terminal text, Markdown, HTML, JSON) translates. It
// sits below both domain/ and render/, so the domain builds messages without importing a renderer.
//
// Every string in a Reply is PLAIN TEXT, never markup: renderers escape all of it for their platform.
// Emphasis and structure are expressed with block types, so a user's note can never become a
// mention, a channel ping or a link, whichever platform shows it.
import type { ActionStatus } from '../../db/types.js';

export type ReplyTone = 'info' | 'success' | 'warning' | 'error';

/** Where a KPI stands against its trajectory (domain/kpi-types.ts re-exports it). */
export type KpiPosition = 'on_track' | 'off_track' | 'no_reading';

/** One action as a line in a list: the same shape in nudges, digests and command replies. */
export interface ActionLine {
  ref: string;
  title: string;
  owner?: string | null;
  /**
   * Names of the people currently holding the owner role. An empty list means nobody holds it
   * (an orphaned action, shown as such); undefined means not applicable (owner is a named person).
   */
  ownerHolders?: string[];
  /** ISO date; loose wording belongs in `detail`. */
  due?: string | null;
  /** Said instead of a due date when there is none: "completed", "ongoing", "from Jan 2024", "due: TBC". */
  dueInstead?: string | null;
  status: ActionStatus;
  percent?: number | null;
  /** Working days overdue, when overdue. */
  daysOverdue?: number | null;
  /** Short extra context, e.g. "last update 3 Nov by Sam: slipping". */
  detail?: string | null;
}

/** One KPI as a line: the same shape in the digest, `/send kpis` and nudges. Strings are plain text. */
export interface KpiLine {
  code: string;
  name: string;
  position: KpiPosition;
  /** "64.1% for Q2 2024/25", or null when nothing has been recorded. */
  latest: string | null;
  /** What the trajectory expects of it: "at least 63.5%"; null when there is no reading. */
  expected: string | null;
  /** A text sparkline of the readings, oldest first ("▁▃▅▇"); empty with no readings. */
  sparkline: string;
  /** The readings behind the sparkline, oldest first: for charts. */
  points: { periodEnd: string; value: number }[];
  /** "65% by March 25 (31 Mar 2025)", or null when no target is ahead. */
  nextTarget: string | null;
  /** The owner role, and who holds it (empty: nobody does). */
  owner?: string | null;
  ownerHolders?: string[];
  /** Short extra context: "no trajectory set: compared with the baseline", "sample figures". */
  detail?: string | null;
  /** How to record the missing figure: "/send kpi ND-WAIT 140 for September 2024". */
  recordExample?: string;
}

export type ReplyBlock =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: string; muted?: boolean }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'list'; items: string[] }
  | { type: 'actions'; heading?: string; items: ActionLine[]; emptyText?: string }
  | { type: 'kpis'; heading?: string; items: KpiLine[]; emptyText?: string }
  | { type: 'divider' };

export interface ReplyButton {
  /** Stable id the platform sends back, e.g. 'update' or 'no_change'. */
  id: 'update' | 'no_change' | 'confirm' | 'cancel';
  label: string;
  /** Opaque value returned with the click (an action ref, a confirmation token); at most 2,000 characters. */
  value: string;
  style?: 'primary' | 'danger';
}

/**
 * A link the reader opens (a Slack URL button, a Teams Action.OpenUrl, a plain URL in text). Only
 * addresses sendbot builds itself go here, never one a user typed; renderers accept http(s) only.
 */
export interface ReplyLink {
  label: string;
  url: string;
}

/** True for an http(s) URL: the only kind a renderer turns into a link. */
export function isWebLink(url: string): boolean {
  return /^https?:\/\/[^\s<>"]+$/i.test(url);
}

/** Asks the platform to show the update form (Slack modal, Teams card, console prompts). */
export interface UpdateFormRequest {
  /** Actions the caller may update: the choice list. */
  choices: { ref: string; title: string; status: ActionStatus; due: string | null }[];
  /** Preselected action, if known. */
  ref?: string;
}

export interface Reply {
  tone: ReplyTone;
  /**
   * One-line summary: the notification text and the fallback where rich blocks are not shown.
   * Renderers also show it as the first line; blocks never repeat it.
   */
  summary: string;
  blocks: ReplyBlock[];
  buttons?: ReplyButton[];
  links?: ReplyLink[];
  form?: UpdateFormRequest;
  /** True when the reply should be visible only to the caller (Slack ephemeral). Default true. */
  private?: boolean;
}

export function reply(tone: ReplyTone, summary: string, blocks: ReplyBlock[] = [], extra: Partial<Reply> = {}): Reply {
  return { tone, summary, blocks, ...extra };
}

export const text = (value: string, muted = false): ReplyBlock => ({ type: 'text', text: value, ...(muted ? { muted } : {}) });
export const heading = (value: string): ReplyBlock => ({ type: 'heading', text: value });
export const fields = (pairs: [string, string | null | undefined][]): ReplyBlock => ({
  type: 'fields',
  fields: pairs.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([label, value]) => ({ label, value: value as string })),
});
export const list = (items: string[]): ReplyBlock => ({ type: 'list', items });
