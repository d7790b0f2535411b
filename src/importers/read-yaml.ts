import { isNode, LineCounter, parseDocument } from 'yaml';
import type { ZodType } from 'zod';
import { ImportError, type ImportProblem } from './import-errors.js';

export interface ReadYaml<T> {
  value: T;
  /** Source line (1-based) of the value at a path, for messages about valid-but-wrong data. */
  lineOf: (path: (string | number)[]) => number | undefined;
}

/**
 * Parses YAML and validates it with `schema`. Every syntax or schema problem is reported with its
 * line number and path; nothing is returned unless the whole file is valid.
 */
export function readYaml<T>(content: string, schema: ZodType<T>, file?: string): ReadYaml<T> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    throw new ImportError(
      doc.errors.map((e) => ({ file, line: lineAt(e.pos[0]), unit: 'line' as const, message: e.message.split('\n')[0] ?? e.message })),
    );
  }
  const lineOf = (path: (string | number)[]) => {
    // Walk up the path until a node with a position is found (a missing key points at its parent).
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineAt(node.range[0]);
    }
    return undefined;
  };
  const parsed = schema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {});
  if (!parsed.success) {
    const problems: ImportProblem[] = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      return { file, line: lineOf(path), unit: 'line', path: formatPath(path), message: issue.message };
    });
    throw new ImportError(problems);
  }
  return { value: parsed.data, lineOf };
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
