// The first message of first-message auth, read against the policy's template: every
// fixed value of the template must be there (e.g. "type": "connection_init"), and the
// token is what stands where the template has its placeholder (a whole string, or part of one).
import { TOKEN_PLACEHOLDER } from '../../model/policy.ts';

const SLOT = '\u0000token\u0000';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function tokenFromMessage(template: string, text: string): string | null {
  let message: Json;
  try {
    message = JSON.parse(text) as Json;
  } catch {
    return null;
  }
  const shape = JSON.parse(template.replace(TOKEN_PLACEHOLDER, JSON.stringify(SLOT).slice(1, -1))) as Json;
  return match(shape, message);
}

/** The token when `value` fits `shape`, else null; '' when it fits but carries no token. */
function match(shape: Json, value: Json): string | null {
  if (typeof shape === 'string' && shape.includes(SLOT)) {
    // The placeholder may sit inside a string, e.g. "Bearer {{token}}".
    const [pre = '', post = ''] = shape.split(SLOT);
    if (typeof value !== 'string' || !value.startsWith(pre) || !value.endsWith(post)) return null;
    const token = value.slice(pre.length, value.length - post.length);
    return token === '' ? null : token;
  }
  if (shape === null || typeof shape !== 'object') return shape === value ? '' : null;
  if (value === null || typeof value !== 'object' || Array.isArray(shape) !== Array.isArray(value)) return null;
  let token: string | null = '';
  for (const [key, inner] of Object.entries(shape)) {
    const found = match(inner, (value as Record<string, Json>)[key] ?? null);
    if (found === null) return null;
    if (found !== '') token = found;
  }
  return token;
}
