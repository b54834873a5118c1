// The registry of mutants, under the ids of docs/field-failures.md. A mutant is chosen at
// start-up (`startReferenceBackend({ mutant })`, `serve --mutant ID`), never by a request.
import { FIELD_FAILURE_IDS, type FieldFailureId } from '../../model/field-failures.ts';
import { REFERENCE, type Assembly } from '../assembly.ts';
import { acceptThen1008 } from './accept-then-1008.ts';
import { algNone } from './alg-none.ts';
import { deletedKeptConnected } from './deleted-kept-connected.ts';
import { audArrayRefused } from './aud-array-refused.ts';
import { audNearMiss } from './aud-near-miss.ts';
import { b64Unencoded } from './b64-unencoded.ts';
import { expFalsyIgnored } from './exp-falsy-ignored.ts';
import { fakeToken403 } from './fake-token-403.ts';
import { headerBypass } from './header-bypass.ts';
import { identityHeaderTrusted } from './identity-header-trusted.ts';
import { inactiveAccept } from './inactive-accept.ts';
import { kidCaseInsensitive } from './kid-case-insensitive.ts';
import { leewayTooWide } from './leeway-too-wide.ts';
import { logBlamesUser } from './log-blames-user.ts';
import { logSaysExpired } from './log-says-expired.ts';
import { missingUserAccept } from './missing-user-accept.ts';
import type { Mutant } from './mutant.ts';
import { noDeadline } from './no-deadline.ts';
import { noExp } from './no-exp.ts';
import { noIssAud } from './no-iss-aud.ts';
import { noOriginCheck } from './no-origin-check.ts';
import { noSessionExpiry } from './no-session-expiry.ts';
import { schemeCaseSensitive } from './scheme-case-sensitive.ts';
import { originPrefix } from './origin-prefix.ts';
import { schemePrefix } from './scheme-prefix.ts';
import { secretMismatch } from './secret-mismatch.ts';
import { sig403 } from './sig-403.ts';
import { slowAuthFailOpen } from './slow-auth-fail-open.ts';
import { userIdNormalised } from './user-id-normalised.ts';

/** Every field failure is a mutant, under its id. */
export const MUTANT_IDS = FIELD_FAILURE_IDS;
export type MutantId = FieldFailureId;

const MUTANTS: Record<MutantId, Mutant> = {
  'secret-mismatch': secretMismatch,
  'sig-403': sig403,
  'missing-user-accept': missingUserAccept,
  'accept-then-1008': acceptThen1008,
  'header-bypass': headerBypass,
  'slow-auth-fail-open': slowAuthFailOpen,
  'no-deadline': noDeadline,
  'fake-token-403': fakeToken403,
  'alg-none': algNone,
  'no-exp': noExp,
  'no-iss-aud': noIssAud,
  'inactive-accept': inactiveAccept,
  'no-session-expiry': noSessionExpiry,
  'no-origin-check': noOriginCheck,
  'log-says-expired': logSaysExpired,
  'log-blames-user': logBlamesUser,
  'deleted-kept-connected': deletedKeptConnected,
  'scheme-case-sensitive': schemeCaseSensitive,
  'aud-near-miss': audNearMiss,
  'user-id-normalised': userIdNormalised,
  'identity-header-trusted': identityHeaderTrusted,
  'exp-falsy-ignored': expFalsyIgnored,
  'leeway-too-wide': leewayTooWide,
  'scheme-prefix': schemePrefix,
  'origin-prefix': originPrefix,
  'b64-unencoded': b64Unencoded,
  'kid-case-insensitive': kidCaseInsensitive,
  'aud-array-refused': audArrayRefused,
};

export const MUTANT_DESCRIPTIONS: Record<MutantId, string> = Object.fromEntries(
  MUTANT_IDS.map((id) => [id, MUTANTS[id].description]),
) as Record<MutantId, string>;

export function isMutantId(value: string): value is MutantId {
  return (MUTANT_IDS as readonly string[]).includes(value);
}

/** The backend's pieces: the reference assembly, or it with one mutant swapped in. */
export function assemble(mutant: MutantId | null = null): Assembly {
  return mutant === null ? REFERENCE : MUTANTS[mutant].assemble(REFERENCE);
}
