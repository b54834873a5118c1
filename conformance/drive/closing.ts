// Who closed an upgraded socket, when the client also closes at the end of its observe
// window. A server close frame can cross the client's own close on the wire; `ws` then
// reports the server's code, and "closed after the client started closing" would call a
// rejecting server silent (accepted). The rule here decides from wire order instead:
//
// At the end of the window the client sends a ping, then its close 1000. A server that
// was still open and silent answers the ping (RFC 6455 5.5.2) before it reads the close,
// so its pong arrives before any close frame of its own. A close frame with no pong
// before it was sent before the server read the end-of-window ping: the server's own
// close, whatever its code. Only for a server that never answers pings does the code
// decide: 1000, the echo of the client's close, is the client's close.

export interface ClosingTrace {
  /** The client sent its ping and close 1000 (the observe window ended). */
  clientClosed: boolean;
  /** A close frame arrived before the client sent its close. */
  frameBeforeClientClose: boolean;
  /** The server's pong to the end-of-window ping arrived (frames after a close frame are never read). */
  pongBeforeClose: boolean;
  /** The server's close frame code; null when the TCP connection ended without one. */
  frameCode: number | null;
}

export const CLIENT_CLOSE_CODE = 1000;

export function closedBy(t: ClosingTrace): 'server' | 'client' {
  if (!t.clientClosed || t.frameBeforeClientClose) return 'server';
  if (t.pongBeforeClose) return 'client';
  return t.frameCode === CLIENT_CLOSE_CODE ? 'client' : 'server';
}
