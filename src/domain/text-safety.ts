// Checks on free text before it is stored: the plan is about services, never about a named child.

export const MAX_TEXT_LENGTH = 3000;

/** True when `digits` (10 of them) pass the NHS number modulus-11 check. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/**
 * Finds something that looks like an NHS number: 10 digits passing modulus 11, written together,
 * as 3-3-4 with spaces or hyphens, or spread with single spaces. Longer digit runs (phone numbers
 * with country codes, reference numbers) are not split into candidates.
 */
export function findNhsNumber(text: string): string | undefined {
  const candidates = text.match(/(?<![\d])\d(?:[ \-]?\d){9}(?![\d])/g) ?? [];
  for (const candidate of candidates) {
    const digits = candidate.replace(/[ \-]/g, '');
    if (isValidNhsNumber(digits)) return candidate;
  }
  return undefined;
}

export type TextProblem = { kind: 'too-long'; length: number } | { kind: 'nhs-number'; match: string };

/** Returns why `text` may not be stored, or undefined when it is fine. */
export function checkUserText(text: string): TextProblem | undefined {
  if (text.length > MAX_TEXT_LENGTH) return { kind: 'too-long', length: text.length };
  const nhs = findNhsNumber(text);
  if (nhs) return { kind: 'nhs-number', match: nhs };
  return undefined;
}

export function describeTextProblem(problem: TextProblem): string {
  if (problem.kind === 'too-long') {
    return `That is ${problem.length.toLocaleString('en-GB')} characters; updates are limited to ${MAX_TEXT_LENGTH.toLocaleString('en-GB')}. Put the detail in a document and add it with evidence:<link>.`;
  }
  return 'That text contains what looks like an NHS number. No personal data about children goes into the plan: describe the work, not the child, and send again.';
}
