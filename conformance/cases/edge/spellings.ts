// The spellings of the edge cases: for each compared value, the fact a near miss stands
// for (a near-miss audience is a wrong audience) and the forms tried. A spelling is
// written `<value>:<form>` in Facts.spelling; the forge reads it (forge/claims.ts,
// token.ts, request.ts), the model never does.
import { factDomains, type FactName, type Facts } from '../../../model/facts.ts';
import { claimCheck, type Policy } from '../../../model/policy.ts';
import { STRING_FORMS, type StringForm } from './near-miss.ts';

export type SpelledValue = 'iss' | 'aud' | 'typ' | 'sub' | 'scheme' | 'kid' | 'origin' | 'exp' | 'nbf' | 'structure';

export interface SpellingFamily {
  value: SpelledValue;
  /** The facts every spelling of the family stands for, by form. */
  forms: Record<string, Partial<Facts>>;
  /** Whether the policy compares this value at all. */
  applies(policy: Policy): boolean;
}

const each = (forms: readonly string[], facts: Partial<Facts>) => Object.fromEntries(forms.map((f) => [f, facts]));
const except = (...drop: StringForm[]) => STRING_FORMS.filter((f) => !drop.includes(f));
const checks = (claim: 'iss' | 'aud' | 'typ') => (p: Policy) => claimCheck(p, claim) !== 'unchecked';

export const SPELLING_FAMILIES: readonly SpellingFamily[] = [
  { value: 'iss', forms: each([...STRING_FORMS, 'array', 'nested-array', 'object', 'number'], { iss: 'wrong' }), applies: checks('iss') },
  {
    value: 'aud',
    forms: {
      ...each([...STRING_FORMS, 'nested-array', 'object', 'number', 'array-without'], { aud: 'wrong' }),
      // RFC 7519 4.1.3: an array of audiences that contains ours is ours.
      ...each(['array', 'array-with'], { aud: 'expected' }),
    },
    applies: checks('aud'),
  },
  // Media types compare case-insensitively (RFC 7515 4.1.9): letter case is no near miss for typ.
  { value: 'typ', forms: each([...except('case', 'whitespace'), 'array', 'object', 'number'], { typ: 'wrong' }), applies: checks('typ') },
  // A near miss of an existing user's id names nobody in the directory. Not truncated:
  // a run's user ids share a prefix, so a truncated id may well name another user.
  { value: 'sub', forms: each(except('truncated'), { user: 'missing' }), applies: (p) => p.users === 'directory' },
  {
    value: 'scheme',
    forms: each(['longer-suffix', 'longer-prefix', 'truncated', 'glued', 'lookalike'], { scheme: 'other' }),
    applies: (p) => p.placements['authorization-header'] && p.credentials.header.scheme !== null,
  },
  // Whitespace in a kid is refused as an injection attempt, not as an unknown kid.
  { value: 'kid', forms: each(except('whitespace'), { key: 'unknown-kid' }), applies: (p) => p.kid !== 'ignored' },
  {
    value: 'origin',
    // Letter case and whitespace are no near misses for an Origin (browsers send it lower-case; HTTP trims).
    forms: each(['longer-suffix', 'truncated', 'containing', 'port', 'other-scheme', 'subdomain', 'lookalike'], { origin: 'foreign' }),
    applies: (p) => p.allowedOrigins.length > 0,
  },
  {
    value: 'exp',
    forms: {
      ...each(['zero', 'negative', 'skew-edge'], { exp: 'past' }),
      ...each(['null', 'boolean', 'array', 'object', 'numeric-string'], { exp: 'wrong-type' }),
      // NumericDate may be fractional (RFC 7519 2) and far away: both are a valid future exp.
      ...each(['float', 'huge'], { exp: 'future' }),
    },
    applies: () => true,
  },
  { value: 'nbf', forms: each(['skew-edge'], { nbf: 'future' }), applies: () => true },
  // RFC 7797 unencoded payload (`b64: false`, `crit: ["b64"]`), correctly signed: its payload segment is not base64url.
  { value: 'structure', forms: each(['b64-false'], { structure: 'bad-base64url' }), applies: (p) => p.placements['authorization-header'] },
];

/** `aud:containing` -> ['aud', 'containing']; null when `spelling` names no spelling of `value`. */
export function spellingOf(facts: Pick<Facts, 'spelling'>, value: SpelledValue): string | null {
  const s = facts.spelling;
  return s !== undefined && s.startsWith(`${value}:`) ? s.slice(value.length + 1) : null;
}

/** Every spelling the policy can exercise, as facts over `base`: the valid case plus one near miss. */
export function spelledFacts(policy: Policy, base: Facts): Array<{ spelling: string; facts: Facts }> {
  const domains = factDomains(policy) as Record<FactName, readonly string[]>;
  const inDomain = (delta: Partial<Facts>) => Object.entries(delta).every(([k, v]) => k === 'noise' || k === 'spelling' || domains[k as FactName]?.includes(v as string));
  return SPELLING_FAMILIES.filter((family) => family.applies(policy)).flatMap((family) =>
    Object.entries(family.forms)
      .filter(([, delta]) => inDomain(delta))
      .map(([form, delta]) => {
        const spelling = `${family.value}:${form}`;
        return { spelling, facts: { ...base, ...delta, spelling } };
      }),
  );
}
