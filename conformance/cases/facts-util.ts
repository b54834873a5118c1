// Small helpers over the model's facts used throughout the engine.
import { CANONICAL_FACTS, FACT_NAMES, NO_NOISE, type FactName, type Facts, type Noise } from '../../model/facts.ts';

export { CANONICAL_FACTS, FACT_NAMES, NO_NOISE, type FactName, type Facts, type Noise };

/** Facts that differ from the canonical valid case (the "defects plus choices" of a case). */
export function deviations(facts: Facts, canonical: Facts = CANONICAL_FACTS): FactName[] {
  return FACT_NAMES.filter((name) => facts[name] !== canonical[name]);
}

export function hasNoise(noise: Noise): boolean {
  return noise.headers.length > 0 || noise.query.length > 0 || noise.headerCase !== 'canonical' || noise.reverseHeaders;
}

/** One line: `placement=cookie exp=past +noise(X-E2E-Test)`, `aud=wrong spelled aud:containing`. */
export function describeFacts(facts: Facts, canonical: Facts = CANONICAL_FACTS): string {
  const parts = deviations(facts, canonical).map((n) => `${n}=${facts[n]}`);
  if (facts.spelling !== undefined) parts.push(`spelled ${facts.spelling}`);
  const n = facts.noise;
  const noise = [
    ...n.headers.map(([k, v]) => `${k}: ${v}`),
    ...n.query.map(([k, v]) => `?${k}=${v}`),
    ...(n.headerCase !== 'canonical' ? [`case=${n.headerCase}`] : []),
    ...(n.reverseHeaders ? ['reversed'] : []),
  ];
  if (noise.length) parts.push(`+noise(${noise.join(', ')})`);
  return parts.length ? parts.join(' ') : 'canonical valid case';
}

/** Timing facts make a verdict depend on clocks; their divergences are re-run. */
export function isTimingDependent(facts: Facts): boolean {
  return facts.latency === 'stalled' || facts.session !== 'client-closes' || facts.exp === 'within-skew' || facts.placement === 'first-message';
}
