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
export { OUTCOMES, REASONS, REASON_DESCRIPTIONS, closeCode, rejectStatus } from './reasons.ts';
export type { Outcome, Reason } from './reasons.ts';
// Reason groups: decided before the upgrade (a profile maps each to 401 or 403), decided by
// time or after the upgrade, the ones where no token was presented (RFC 6750 3.1), the user's.
export { FIXED_REASONS, HANDSHAKE_REASONS, NO_TOKEN_REASONS, USER_REASONS, isHandshakeReason, isReason } from './reasons.ts';
export type { FixedReason, HandshakeReason } from './reasons.ts';
// The spec's vocabulary: stage ids, the fact each stage decides on, the field failures.
export { GROUPS, STAGE_IDS, STAGE_FACT, decidingStage, isStageId, visits } from './stage-ids.ts';
export type { GroupId, StageId } from './stage-ids.ts';
export { FIELD_FAILURE_IDS, isFieldFailureId } from './field-failures.ts';
export type { FieldFailureId } from './field-failures.ts';
export { rotationSteps, type RotationStep, type RotationStepId } from './rotation.ts';
