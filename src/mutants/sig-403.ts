import type { HandshakeReason } from '../../model/reasons.ts';
import type { Mutant } from './mutant.ts';

const SIGNATURE_OR_CLAIM = /^(signature|exp|nbf|iss|aud|typ|sub)-/;

export const sig403: Mutant = {
  description: 'answers 403 instead of 401 for a bad signature or claim',
  assemble: (base) => ({
    ...base,
    status: (reason: HandshakeReason, policy) => (SIGNATURE_OR_CLAIM.test(reason) ? 403 : base.status(reason, policy)),
  }),
};
