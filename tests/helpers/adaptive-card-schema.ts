// Validates a card against Microsoft's Adaptive Cards 1.5 schema (tests/fixtures/adaptive-cards, see
// the README there), with ajv. The schema is draft-06; ajv's draft-06 meta-schema is added for it.
// The one documented exception: Teams' `msteams: { width: "Full" }` on the card itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject } from 'ajv';

const require = createRequire(import.meta.url);
const FILE = JSON.parse(readFileSync(new URL('../fixtures/adaptive-cards/adaptive-card-1.5.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
// The file names itself with draft-04's `id`, which ajv 8 refuses; draft-06 spells it `$id`. Only the
// top-level name moves (in memory): `id` inside `properties` is a card property, not a keyword.
const { id, ...body } = FILE;
const SCHEMA = { $id: String(id), ...body };

// strict: false because the schema carries annotations ajv does not know (`version`, `features`).
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
// The two formats the schema names (for links and $schema); an absolute URL for "uri".
ajv.addFormat('uri', (value: string) => URL.canParse(value));
ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value));
const validate = ajv.compile(SCHEMA);

/** The card as the schema sees it: Teams' full-width property (and only that) set aside. */
function withoutTeamsWidth(card: unknown): unknown {
  if (typeof card !== 'object' || card === null) return card;
  const { msteams, ...rest } = card as Record<string, unknown>;
  if (msteams === undefined) return card;
  if (JSON.stringify(msteams) !== JSON.stringify({ width: 'Full' })) return card; // anything else is validated (and refused)
  return rest;
}

/** The schema's complaints about `card`, one line each; [] when it is valid. */
export function adaptiveCardSchemaErrors(card: unknown): string[] {
  if (validate(withoutTeamsWidth(card))) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
