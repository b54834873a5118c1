// A curl command reproducing the handshake of a case. The token appears only when
// asked (--reveal-tokens); otherwise its fingerprint stands in for it.
import type { ForgedRequest } from '../cases/forge/request.ts';
import { redact } from '../cases/forge/request.ts';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The request as forged (token given: redacted unless revealTokens), or already redacted (token null). */
export function curlCommand(targetUrl: string, request: Pick<ForgedRequest, 'path' | 'headers' | 'protocols' | 'authMessage' | 'token'>, revealTokens = false): string {
  const url = new URL(request.path, targetUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  const headers: Array<[string, string]> = [
    ...request.headers,
    ...(request.protocols.length ? ([['Sec-WebSocket-Protocol', request.protocols.join(', ')]] as Array<[string, string]>) : []),
    ['Connection', 'Upgrade'],
    ['Upgrade', 'websocket'],
    ['Sec-WebSocket-Version', '13'],
    ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
  ];
  const parts = ['curl', '-i', '-N', '--http1.1', '--max-time', '10', ...headers.flatMap(([k, v]) => ['-H', quote(`${k}: ${v}`)]), quote(url.toString())];
  const line = parts.join(' ');
  const withMessage = request.authMessage ? `${line}   # then send the text frame ${request.authMessage}` : line;
  return revealTokens ? withMessage : redact(withMessage, request.token);
}
