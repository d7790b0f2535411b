import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { ZodType } from 'zod';
import { ImportError, type ImportProblem } from './import-errors.js';
import { describePath, plainErrorMap, unknownKeys } from './plain-issues.js';
import { yamlToData } from './yaml-limits.js';

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
  /** The line of a key itself (for a key that should not be there), else of its value. */
  const keyLine = (path: (string | number)[]): number | undefined => {
    const parent = doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
      if (pair && isScalar(pair.key) && pair.key.range) return lineAt(pair.key.range[0]);
    }
    return lineOf(path);
  };
  const raw = yamlToData(doc, file) ?? {};
  const parsed = schema.safeParse(raw, { error: plainErrorMap });
  // A key the schema does not know is refused too: a misspelt section would otherwise vanish.
  const unknown = unknownKeys(schema, raw).map((u) => ({ ...u, line: keyLine(u.path.filter((p): p is string | number => typeof p !== 'symbol')) }));
  const issues = [...unknown, ...(parsed.success ? [] : parsed.error.issues)];
  if (issues.length > 0) {
    const problems: ImportProblem[] = issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const line = 'line' in issue && typeof issue.line === 'number' ? issue.line : lineOf(path);
      return { file, line, unit: 'line', path: describePath(path), message: issue.message };
    });
    throw new ImportError(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  return { value: (parsed as { data: T }).data, lineOf };
}
