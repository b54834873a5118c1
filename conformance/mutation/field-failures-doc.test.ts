// docs/field-failures.md is the user's copy of the mutant table: one row per mutant id,
// with the verdict the mutation test expects, and no row for a mutant that is gone.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MUTANT_IDS } from '../../src/index.ts';
import { MUTANT_EXPECTATIONS } from './expectations.ts';

const DOC = join(import.meta.dirname, '..', '..', 'docs', 'field-failures.md');

describe('docs/field-failures.md', () => {
  it('has one row per mutant, with the verdict its expectation names', async () => {
    const rows = (await readFile(DOC, 'utf8'))
      .split('\n')
      .map((line) => /^\| `([a-z0-9-]+)` \|(?:[^|]*\|){2} ([A-Z-]+)/.exec(line))
      .filter((m) => m !== null)
      .map((m) => [m[1]!, m[2]!] as const);
    expect(rows.map(([id]) => id).sort()).toEqual([...MUTANT_IDS].sort());
    for (const [id, verdict] of rows) expect(verdict, id).toBe(MUTANT_EXPECTATIONS[id as keyof typeof MUTANT_EXPECTATIONS].verdict);
  });
});
