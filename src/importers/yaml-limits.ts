// Turning a parsed YAML document into data, within limits. An "alias bomb" (a few lines of anchors
// and aliases that expand a billion-fold) makes the yaml package throw a ReferenceError once it has
// expanded `maxAliasCount` aliases; here that becomes a plain refusal (exit 1), not a stack trace.
import type { Document } from 'yaml';
import { ImportError } from './import-errors.js';

/** Aliases (`*name`) a plan file may use: a plan uses a handful, if any. */
export const MAX_YAML_ALIASES = 100;

export function yamlToData(doc: Document, file?: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    throw new ImportError({
      ...(file !== undefined ? { file } : {}),
      message: `the file uses anchors and aliases (&name, *name) that expand too far (more than ${MAX_YAML_ALIASES} aliases, each repeating what it names); write the values out instead of aliasing them`,
    });
  }
}
