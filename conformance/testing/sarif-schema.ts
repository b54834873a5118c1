// Validates a SARIF log against the SARIF 2.1.0 JSON schema (the schema file shipped in
// @microsoft/jest-sarif, draft-04, so Ajv's draft-04 class). Its language-tag pattern is
// not valid with the u flag, hence unicodeRegExp off. Returns the errors, if any.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv-draft-04';

const require = createRequire(import.meta.url);
const { default: Ajv } = require('ajv-draft-04') as typeof import('ajv-draft-04');
const SCHEMA_FILE = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

let validate: ValidateFunction | null = null;

export function sarifSchemaErrors(log: unknown): string[] {
  if (!validate) {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    validate = ajv.compile(schema);
  }
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
