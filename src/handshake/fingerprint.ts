import { createHash } from 'node:crypto';

/** What logs carry instead of a token or a key: the first 12 hex digits of its SHA-256. */
export function fingerprint(material: string | Uint8Array): string {
  return createHash('sha256').update(material).digest('hex').slice(0, 12);
}
