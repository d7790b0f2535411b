// Schema problems in the user's words. zod's own messages ("Invalid input: expected boolean, received
// string", "Too small: expected number to be >=1") and zero-based paths ("plans[0].workstreams[2]")
// are for programmers; an officer fixing a plan file gets "must be true or false (got "yes please")"
// at "plan 1, workstream 3, lead". Messages a schema gives itself ("must be HH:MM") are kept.
import type { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

/** What a field expects, for unions where zod can only say "Invalid input". */
const EXPECTED: Record<string, string> = {
  roles: 'a role name, or a list of role names',
  with: 'a role name, or a list of role names',
  at: 'a date and time such as 2024-12-04T14:00',
  due: 'a date phrase such as "31 March 2025"',
  by: 'a date phrase such as "March 2025"',
  target: 'text or a number, such as 65%',
  baseline: 'text or a number, such as 62%',
  trajectory: 'a list of targets, each like "65% by March 2025" or with target: and by:',
  workstream: "the workstream's number or title",
};

/** List items named as the user counts them: plans[0] → "plan 1". */
const ITEM: Record<string, string> = {
  plans: 'plan',
  workstreams: 'workstream',
  actions: 'action',
  people: 'person',
  boards: 'board',
  meetings: 'meeting',
  roles: 'role',
  aliases: 'alias',
  kpis: 'KPI',
  trajectory: 'target',
  school_terms: 'term',
  outcomes: 'outcome',
  evidence: 'evidence item',
};

/** "plan 1, workstream 3, lead" for ['plans', 0, 'workstreams', 2, 'lead']. */
export function describePath(path: ReadonlyArray<PropertyKey>): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i += 1) {
    const p = path[i];
    const next = path[i + 1];
    if (typeof p === 'string' && typeof next === 'number' && ITEM[p]) {
      parts.push(`${ITEM[p]} ${next + 1}`);
      i += 1;
    } else if (typeof p === 'number') parts.push(`item ${p + 1}`);
    else parts.push(String(p));
  }
  return parts.join(', ');
}

function shown(input: unknown): string {
  if (input === null) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  if (input instanceof Date) return input.toISOString().slice(0, 10);
  if (typeof input === 'object') return 'a set of fields';
  const text = String(input);
  return typeof input === 'string' ? `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"` : text;
}

/** A plain message for a zod issue, or undefined to keep the schema's own message. */
export function plainIssueMessage(issue: RawIssue): string | undefined {
  const key = [...(issue.path ?? [])].reverse().find((p): p is string => typeof p === 'string');
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is missing';
      switch (issue.expected) {
        case 'boolean':
          return `must be true or false (got ${shown(issue.input)})`;
        case 'number':
          return `must be a number (got ${shown(issue.input)})`;
        case 'int':
          return `must be a whole number (got ${shown(issue.input)})`;
        case 'string':
          return `must be text (got ${shown(issue.input)})`;
        case 'array':
          return `must be a list, each item on its own line starting with "- " (got ${shown(issue.input)})`;
        case 'object':
          return `must be a set of fields such as "name: …" (got ${shown(issue.input)})`;
        default:
          return `is not the right kind of value (got ${shown(issue.input)})`;
      }
    }
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      return issue.inclusive ? `must be at least ${issue.minimum} (got ${shown(issue.input)})` : `must be more than ${issue.minimum} (got ${shown(issue.input)})`;
    case 'too_big':
      if (issue.origin === 'string') return `is too long: at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum} (got ${shown(issue.input)})`;
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      const list = values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : values[0];
      return `must be ${values.length > 1 ? 'one of ' : ''}${list} (got ${shown(issue.input)})`;
    }
    case 'invalid_union':
      if (issue.input === undefined) return 'is missing';
      return `must be ${(key && EXPECTED[key]) ?? 'a value sendbot can read here'} (got ${shown(issue.input)})`;
    case 'invalid_format':
      return `is not in the right form (got ${shown(issue.input)})`;
    default:
      return undefined;
  }
}

/** For safeParse(data, { error }): plain messages; a schema's own message still wins. */
export const plainErrorMap = (issue: RawIssue): string | undefined => plainIssueMessage(issue);

/** The object shape behind wrappers (optional, default, pipe, transform), if the schema is an object. */
function objectShape(schema: unknown): Record<string, unknown> | undefined {
  let s = schema as { _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let depth = 0; depth < 10 && s?._zod?.def; depth += 1) {
    const def = s._zod.def;
    if (def.type === 'object') return def.shape as Record<string, unknown>;
    s = (def.innerType ?? def.in ?? undefined) as typeof s;
  }
  return undefined;
}

/** The element schema of an array schema (behind wrappers), if it is one. */
function arrayElement(schema: unknown): unknown {
  let s = schema as { _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let depth = 0; depth < 10 && s?._zod?.def; depth += 1) {
    const def = s._zod.def;
    if (def.type === 'array') return def.element;
    s = (def.innerType ?? def.in ?? undefined) as typeof s;
  }
  return undefined;
}

/**
 * Keys the schema does not know (a typo such as "worksteams" would otherwise drop a whole section
 * without a word): each reported with its path and the fields that are known there.
 */
export function unknownKeys(schema: unknown, data: unknown, path: PropertyKey[] = []): Array<{ path: PropertyKey[]; message: string }> {
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  const shape = objectShape(schema);
  if (shape && data !== null && typeof data === 'object' && !Array.isArray(data) && !(data instanceof Date)) {
    const known = Object.keys(shape);
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
      if (!(k in shape)) {
        out.push({ path: [...path, k], message: `"${k}" is not a field sendbot knows here (check the spelling); the fields are: ${known.join(', ')}` });
      } else out.push(...unknownKeys(shape[k], v, [...path, k]));
    }
    return out;
  }
  const element = arrayElement(schema);
  if (element && Array.isArray(data)) data.forEach((item, i) => out.push(...unknownKeys(element, item, [...path, i])));
  return out;
}
