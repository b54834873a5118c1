// The session rule of the policy's default that these stacks lack (and that a policy
// cannot relax yet): close 1008 when the token reaches exp + skew. Only the apps
// started with --fixed use it, to be correct backends of their shape.
import type { WebSocket } from 'ws';

export function closeAtExpiry(socket: WebSocket, exp: unknown, skewSeconds: number): void {
  if (typeof exp !== 'number') return;
  const timer = setTimeout(() => socket.close(1008, 'token expired'), Math.max(0, (exp + skewSeconds) * 1000 - Date.now()));
  socket.once('close', () => clearTimeout(timer));
}
