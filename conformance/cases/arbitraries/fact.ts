// One fact: mostly its canonical value, sometimes one of the others. Shrinks towards
// the canonical value (withCrossShrink), so a shrunk case reads "valid case plus one defect".
import fc from 'fast-check';

export function factArbitrary<T extends string>(canonical: T, domain: readonly T[], canonicalWeight: number): fc.Arbitrary<T> {
  const others = domain.filter((v) => v !== canonical);
  if (others.length === 0) return fc.constant(canonical);
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(canonical), weight: canonicalWeight },
    { arbitrary: fc.constantFrom(...others), weight: 1 },
  );
}
