// The session rule of the policy's default that these stacks lack (and that a policy
// cannot relax yet): close 1008 when the token reaches exp + skew. Only the apps
// started with --fixed use it, to be correct backends of their shape.
import type { WebSocket } from 'ws';

// setTimeout holds at most 2^31-1 ms (about 24.8 days); a longer wait fires at once,
// so a far exp (the edge case `exp:huge`) is waited for in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

export function closeAtExpiry(socket: WebSocket, exp: unknown, skewSeconds: number): void {
  if (typeof exp !== 'number') return;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = (exp + skewSeconds) * 1000 - Date.now();
    timer = wait <= 0 ? setTimeout(() => socket.close(1008, 'token expired'), 0) : setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
  };
  arm();
  socket.once('close', () => clearTimeout(timer));
}
