// Noise arbitrary: extra headers (bypass-looking ones included), query noise, header
// name case and order. Shrinks towards no noise at all.
import fc from 'fast-check';
import { BENIGN_HEADERS, BYPASS_HEADERS, NOISE_QUERY } from '../noise.ts';
import type { Noise } from '../facts-util.ts';

const header = fc.constantFrom(...BYPASS_HEADERS, ...BENIGN_HEADERS).map(([k, v]): [string, string] => [k, v]);
const query = fc.constantFrom(...NOISE_QUERY).map(([k, v]): [string, string] => [k, v]);

export function noiseArbitrary(): fc.Arbitrary<Noise> {
  const some = fc.record({
    headers: fc.uniqueArray(header, { maxLength: 2, selector: ([k]) => k.toLowerCase() }),
    query: fc.uniqueArray(query, { maxLength: 1, selector: ([k]) => k }),
    headerCase: fc.constantFrom<Noise['headerCase']>('canonical', 'lower', 'upper'),
    reverseHeaders: fc.boolean(),
  });
  const none = fc.constant<Noise>({ headers: [], query: [], headerCase: 'canonical', reverseHeaders: false });
  return fc.oneof({ withCrossShrink: true }, { arbitrary: none, weight: 1 }, { arbitrary: some, weight: 1 });
}
