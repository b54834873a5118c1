import type { Mutant } from './mutant.ts';

// `origin.startsWith(allowed)`: "https://app.example.evil" and "https://app.example:8443" pass.
export const originPrefix: Mutant = {
  description: 'allows an Origin that starts with an allowed one (startsWith instead of equality)',
  assemble: (base) => ({
    ...base,
    checkOrigin(request, policy) {
      const origin = request.headers.origin;
      if (origin === undefined || origin === 'null') return base.checkOrigin(request, policy);
      return policy.allowedOrigins.some((allowed) => origin.startsWith(allowed)) ? null : base.checkOrigin(request, policy);
    },
  }),
};
