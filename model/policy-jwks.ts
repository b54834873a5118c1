// The JWKS contract of a backend that looks keys up in a JWKS it fetches (policy.kid
// "jwks"): whether it refetches the set on a kid it does not know, how long it waits
// between two fetches, and how long it uses a fetched set. The defaults are those of
// jose's createRemoteJWKSet (cooldownDuration 30 s, cacheMaxAge 10 min).

export interface JwksContract {
  /** A token whose kid the cached set lacks makes the backend fetch the set again (once the cooldown is over). */
  refreshOnUnknownKid: boolean;
  /** Least time between two fetches: a new kid seen sooner after a fetch is refused. */
  cooldownMs: number;
  /** How long a fetched set is used; a key removed from the JWKS is refused at most this long after. null: until restart. */
  maxAgeMs: number | null;
}

export const JWKS_RULES = ['refreshOnUnknownKid', 'cooldownMs', 'maxAgeMs'] as const;

export function defaultJwksContract(): JwksContract {
  return { refreshOnUnknownKid: true, cooldownMs: 30_000, maxAgeMs: 600_000 };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDuration = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The policy's `jwks` over the defaults, every problem reported through `bad`. */
export function resolveJwksContract(input: unknown, bad: (field: string, message: string) => void): JwksContract {
  const base = defaultJwksContract();
  if (input === undefined) return base;
  if (!isObject(input)) {
    bad('jwks', 'an object');
    return base;
  }
  for (const key of Object.keys(input)) {
    if (!(JWKS_RULES as readonly string[]).includes(key)) bad(`jwks.${key}`, `unknown jwks rule; use ${JWKS_RULES.join(', ')}`);
  }
  const c = { ...base, ...input } as JwksContract;
  if (typeof c.refreshOnUnknownKid !== 'boolean') bad('jwks.refreshOnUnknownKid', 'true or false');
  if (!isDuration(c.cooldownMs)) bad('jwks.cooldownMs', 'a non-negative number of milliseconds');
  if (c.maxAgeMs !== null && !isDuration(c.maxAgeMs)) bad('jwks.maxAgeMs', 'a non-negative number of milliseconds, or null (kept until restart)');
  return c;
}
