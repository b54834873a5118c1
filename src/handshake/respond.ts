// Refusing an upgrade: a complete HTTP response on the raw socket, then close.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { NO_TOKEN_REASONS, type HandshakeReason } from '../../model/reasons.ts';

/** RFC 6750 3.1: `error="invalid_token"` only when a token was presented. */
export function challenge(reason: HandshakeReason): string {
  return NO_TOKEN_REASONS.includes(reason) ? 'Bearer realm="ws"' : 'Bearer realm="ws", error="invalid_token"';
}

export function writeRejection(socket: Duplex, status: number, reason: HandshakeReason): void {
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': challenge(reason) } : {};
  writeResponse(socket, status, { error: reason }, headers);
}

export function writeResponse(socket: Duplex, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) return;
  const payload = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(payload)}`,
    'Connection: close',
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${payload}`);
}
