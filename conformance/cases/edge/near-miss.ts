// Near misses of an expected string: what a careful attacker tries against a value the
// backend compares (iss, aud, typ, the user id, the scheme, the kid, the Origin). Each
// form defeats one way of comparing loosely; an exact comparison refuses them all.

export const STRING_FORMS = [
  // expected + more: defeats startsWith(expected)
  'longer-suffix',
  // more + expected: defeats endsWith(expected)
  'longer-prefix',
  // more + expected + more: defeats includes(expected)
  'containing',
  // expected without its last character: defeats expected.startsWith(value)
  'truncated',
  // the middle of expected: defeats expected.includes(value)
  'substring',
  // other letter case: defeats a case-insensitive comparison
  'case',
  // surrounding whitespace: defeats trim()
  'whitespace',
  // one letter replaced by its Cyrillic look-alike: defeats a "confusable" skeleton match
  'lookalike',
  // one letter in its fullwidth form: defeats Unicode NFKC normalisation
  'nfkc',
] as const;
export type StringForm = (typeof STRING_FORMS)[number];

/** JSON forms that are not a string: defeat `==`, `String(value)` and "first element" reads. */
export const SHAPE_FORMS = ['array', 'nested-array', 'object', 'number'] as const;
export type ShapeForm = (typeof SHAPE_FORMS)[number];

export type NearMissForm = StringForm | ShapeForm;

const LOOKALIKES: Record<string, string> = { a: '\u0430', e: '\u0435', o: '\u043e', p: '\u0440', c: '\u0441', s: '\u0455', i: '\u0456' };

export function isStringForm(form: string): form is StringForm {
  return (STRING_FORMS as readonly string[]).includes(form);
}

/** A string near miss of `expected`: never equal to it, and differing only as the form says. */
export function nearMissString(expected: string, form: StringForm): string {
  switch (form) {
    case 'longer-suffix':
      return `${expected}.evil`;
    case 'longer-prefix':
      return `evil.${expected}`;
    case 'containing':
      return `x${expected}x`;
    case 'truncated':
      return expected.length > 1 ? expected.slice(0, -1) : `${expected}${expected}`;
    case 'substring':
      return expected.length > 2 ? expected.slice(1, -1) : `${expected}${expected}`;
    case 'case':
      return swapCase(expected);
    case 'whitespace':
      return ` ${expected} `;
    case 'lookalike':
      return replaceFirst(expected, (c) => LOOKALIKES[c], '\u0430');
    case 'nfkc':
      // U+FF01..U+FF5E are the fullwidth forms of '!'..'~'; NFKC maps them back.
      return replaceFirst(expected, (c) => (c > ' ' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : undefined), '\uff41');
  }
}

/** A JSON value near `expected` that is not a string at all. */
export function nearMissShape(expected: string, form: ShapeForm): unknown {
  switch (form) {
    case 'array':
      return [expected];
    case 'nested-array':
      return [[expected]];
    case 'object':
      return { value: expected };
    case 'number':
      return 1;
  }
}

export function nearMiss(expected: string, form: NearMissForm): unknown {
  return isStringForm(form) ? nearMissString(expected, form) : nearMissShape(expected, form);
}

/** A header value must stay Latin-1: the UTF-8 bytes of a Unicode near miss, as an attacker's client sends them. */
export function asHeaderBytes(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

function swapCase(s: string): string {
  const swapped = [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  // Nothing to swap (digits only): add a letter in the other case rather than return the same string.
  return swapped === s ? `${s}X` : swapped;
}

function replaceFirst(s: string, map: (c: string) => string | undefined, fallback: string): string {
  const chars = [...s];
  const at = chars.findIndex((c) => map(c) !== undefined);
  if (at < 0) return `${s}${fallback}`;
  chars[at] = map(chars[at]!)!;
  return chars.join('');
}
