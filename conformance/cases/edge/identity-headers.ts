// Headers that reverse proxies and auth gateways use to pass on the user they have
// authenticated. Behind such a proxy a backend may read them; exposed directly, a
// backend that trusts one lets any client name any user. Each is sent, naming a real
// active user, on a request without a credential: the answer must stay the 401.
import { base64url } from 'jose';

/** `{user}` in a value is replaced by the case's active user id when the request is forged. */
export const USER_PLACEHOLDER = '{user}';
/** An unsigned JWT whose sub is the user (the assertion headers of IAP, Pomerium, Cloudflare, ALB). */
export const USER_JWT_PLACEHOLDER = '{user-jwt}';
/** The base64url JSON payload `{"sub": user}` (Envoy's forwarded payload header). */
export const USER_PAYLOAD_PLACEHOLDER = '{user-payload}';
/** Azure App Service's base64 client principal naming the user. */
export const USER_PRINCIPAL_PLACEHOLDER = '{user-principal}';

export const IDENTITY_HEADERS: ReadonlyArray<readonly [name: string, value: string]> = [
  // oauth2-proxy (auth_request mode and upstream headers)
  ['X-Auth-Request-User', USER_PLACEHOLDER],
  ['X-Auth-Request-Email', `${USER_PLACEHOLDER}@ws-auth-conformance.test`],
  ['X-Auth-Request-Preferred-Username', USER_PLACEHOLDER],
  ['X-Forwarded-Email', `${USER_PLACEHOLDER}@ws-auth-conformance.test`],
  ['X-Forwarded-Preferred-Username', USER_PLACEHOLDER],
  ['X-Forwarded-User', USER_PLACEHOLDER],
  // Apache mod_auth_* / nginx auth_request conventions, Authelia / Traefik forward-auth
  ['Remote-User', USER_PLACEHOLDER],
  ['X-Remote-User', USER_PLACEHOLDER],
  ['X-Authenticated-User', USER_PLACEHOLDER],
  ['X-User', USER_PLACEHOLDER],
  ['X-Auth-User', USER_PLACEHOLDER],
  ['X-WEBAUTH-USER', USER_PLACEHOLDER],
  ['Remote-Groups', 'admin'],
  // Envoy jwt_authn forward_payload_header
  ['X-Jwt-Payload', USER_PAYLOAD_PLACEHOLDER],
  // Pomerium
  ['X-Pomerium-Jwt-Assertion', USER_JWT_PLACEHOLDER],
  ['X-Pomerium-Claim-Email', `${USER_PLACEHOLDER}@ws-auth-conformance.test`],
  // Google Cloud IAP
  ['X-Goog-Authenticated-User-Email', `accounts.google.com:${USER_PLACEHOLDER}`],
  ['X-Goog-Authenticated-User-Id', `accounts.google.com:${USER_PLACEHOLDER}`],
  ['X-Goog-IAP-JWT-Assertion', USER_JWT_PLACEHOLDER],
  // AWS Application Load Balancer (OIDC)
  ['X-Amzn-Oidc-Identity', USER_PLACEHOLDER],
  ['X-Amzn-Oidc-Data', USER_JWT_PLACEHOLDER],
  // Cloudflare Access
  ['Cf-Access-Jwt-Assertion', USER_JWT_PLACEHOLDER],
  ['Cf-Access-Authenticated-User-Email', `${USER_PLACEHOLDER}@ws-auth-conformance.test`],
  // Azure App Service authentication
  ['X-MS-CLIENT-PRINCIPAL-NAME', USER_PLACEHOLDER],
  ['X-MS-CLIENT-PRINCIPAL-ID', USER_PLACEHOLDER],
  ['X-MS-CLIENT-PRINCIPAL', USER_PRINCIPAL_PLACEHOLDER],
];

/** The built-in headers, then the config's own (a header already listed takes the config's value). */
export function identityHeaders(extra: ReadonlyArray<readonly [string, string]> = []): Array<[string, string]> {
  const names = new Set(extra.map(([n]) => n.toLowerCase()));
  return [...IDENTITY_HEADERS.filter(([n]) => !names.has(n.toLowerCase())), ...extra].map(([n, v]): [string, string] => [n, v]);
}

export function isIdentityHeader(name: string, extra: ReadonlyArray<readonly [string, string]> = []): boolean {
  return identityHeaders(extra).some(([n]) => n.toLowerCase() === name.toLowerCase());
}

/** A header value with its placeholders filled in for `userId`. */
export function fillIdentity(value: string, userId: string): string {
  const json = (v: unknown) => base64url.encode(JSON.stringify(v));
  return value
    .split(USER_JWT_PLACEHOLDER).join(`${json({ alg: 'none', typ: 'JWT' })}.${json({ sub: userId, email: `${userId}@ws-auth-conformance.test` })}.`)
    .split(USER_PAYLOAD_PLACEHOLDER).join(json({ sub: userId }))
    .split(USER_PRINCIPAL_PLACEHOLDER).join(Buffer.from(JSON.stringify({ auth_typ: 'aad', name_typ: 'name', claims: [{ typ: 'name', val: userId }] })).toString('base64'))
    .split(USER_PLACEHOLDER).join(userId);
}
