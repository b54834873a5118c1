// Public surface of the executable spec.
export { CANONICAL_FACTS, FACT_NAMES, FACT_VALUES, NO_NOISE, defectsOf, factDomains } from './facts.ts';
export type { FactName, FactValue, Facts, Noise } from './facts.ts';
export { createAuthMachine, machineFor, outcomeOf } from './machine.ts';
export { predict, runModel } from './oracle.ts';
export type { Prediction } from './oracle.ts';
export { generatePaths, measureCoverage } from './paths.ts';
export type { Coverage, ModelPath, PathSet } from './paths.ts';
export { PolicyError, policyDigest, profilePolicy, resolvePolicy } from './policy.ts';
export type { Policy, PolicyInput } from './policy.ts';
export { OUTCOMES, REASONS } from './reasons.ts';
export type { Outcome, Reason } from './reasons.ts';
