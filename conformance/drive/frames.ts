// A passive tap on the frames a server sends after the upgrade. `ws` tells when the
// connection closed, not when the server's close frame arrived nor what came before
// it; the tap reads the same bytes and reports control frames in wire order, so the
// client can tell a server's own close from the answer to its own.
import type { Socket } from 'node:net';

export type ControlFrame = { kind: 'close'; code: number; reason: string } | { kind: 'pong'; payload: string };

/** Reads server frames from `socket` (attach it on `ws` "open": earlier, the bytes after the 101 head would reach the tap alone). */
export function tapControlFrames(socket: Socket, onFrame: (frame: ControlFrame) => void): void {
  let pending = Buffer.alloc(0);
  let skip = 0;
  let closed = false;
  const onData = (chunk: Buffer) => {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      return;
    }
    pending = Buffer.concat([pending, chunk.subarray(skip)]);
    skip = 0;
    while (!closed) {
      const header = frameHeader(pending);
      if (!header) return;
      const { opcode, headerLength, payloadLength, mask } = header;
      if (opcode < 8) {
        // A data frame: not needed, skip its payload without keeping it.
        const available = pending.length - headerLength;
        if (payloadLength > available) {
          skip = payloadLength - available;
          pending = Buffer.alloc(0);
          return;
        }
        pending = pending.subarray(headerLength + payloadLength);
        continue;
      }
      if (pending.length < headerLength + payloadLength) return;
      const payload = Buffer.from(pending.subarray(headerLength, headerLength + payloadLength));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      pending = pending.subarray(headerLength + payloadLength);
      if (opcode === 0x8) {
        closed = true;
        socket.off('data', onData);
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        onFrame({ kind: 'close', code, reason: payload.subarray(2).toString('utf8') });
      } else if (opcode === 0xa) {
        onFrame({ kind: 'pong', payload: payload.toString('utf8') });
      }
    }
  };
  socket.on('data', onData);
}

function frameHeader(b: Buffer): { opcode: number; headerLength: number; payloadLength: number; mask: Buffer | null } | null {
  if (b.length < 2) return null;
  const opcode = b[0]! & 0x0f;
  const masked = (b[1]! & 0x80) !== 0;
  let payloadLength = b[1]! & 0x7f;
  let headerLength = 2;
  if (payloadLength === 126) {
    if (b.length < 4) return null;
    payloadLength = b.readUInt16BE(2);
    headerLength = 4;
  } else if (payloadLength === 127) {
    if (b.length < 10) return null;
    payloadLength = Number(b.readBigUInt64BE(2));
    headerLength = 10;
  }
  if (masked) {
    if (b.length < headerLength + 4) return null;
    return { opcode, headerLength: headerLength + 4, payloadLength, mask: b.subarray(headerLength, headerLength + 4) };
  }
  return { opcode, headerLength, payloadLength, mask: null };
}
