// Flag errors name the flag and what is wrong with its value, not parseArgs' internals.
import { describe, expect, it } from 'vitest';
import { integerFlag, parseFlags } from './flags.ts';

const OPTIONS = { runs: { type: 'string' }, target: { type: 'string' }, quiet: { type: 'boolean' } } as const;
const parse = (...argv: string[]) => parseFlags(argv, OPTIONS, 'run');
const runsOf = (...argv: string[]) => integerFlag(parse(...argv).values.runs, 'runs', 200);

describe('parseFlags', () => {
  it('a negative number is the flag\'s value, refused by the flag\'s own check', () => {
    expect(() => runsOf('--runs', '-5')).toThrow('--runs must be an integer >= 0, got "-5"');
    expect(() => runsOf('--runs=-5')).toThrow('--runs must be an integer >= 0, got "-5"');
    expect(runsOf('--runs', '7', '--quiet')).toBe(7);
  });

  it('says which flag lacks a value, which is unknown, and how to pass a value starting with "-"', () => {
    expect(() => parse('--runs')).toThrow('--runs needs a value; see "ws-auth-conformance run --help"');
    expect(() => parse('--bogus')).toThrow('unknown option --bogus; see "ws-auth-conformance run --help"');
    expect(() => parse('--target', '-x')).toThrow('--target needs a value, and "-x" looks like an option (for a value starting with "-", write --target=-x)');
    expect(parse('--target=-x').values.target).toBe('-x');
  });

  it('refuses a stray argument unless the command takes files', () => {
    expect(() => parse('--runs', '7', 'extra')).toThrow('run takes no arguments besides its options, got "extra"; see "ws-auth-conformance run --help"');
    expect(parseFlags(['a.json', '--quiet', 'b.json'], OPTIONS, 'merge', { positionals: true }).positionals).toEqual(['a.json', 'b.json']);
  });
});
