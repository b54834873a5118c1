// A session decided after its socket closed (the lookup outlasted the client) must not
// be opened: nothing would ever clear its expiry timer, which held `mutants` open for
// the ten minutes to the token's exp.
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { profilePolicy } from '../../model/policy.ts';
import { REFERENCE } from '../assembly.ts';
import { silentLogger } from '../log.ts';
import { SessionRegistry } from './registry.ts';
import { openSession } from './session.ts';

describe('openSession', () => {
  it('on a socket that is already closed: no session, no timer left armed', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const serverSide = new Promise<WebSocket>((r) => wss.once('connection', r));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    const [ws] = await Promise.all([serverSide, new Promise((r) => client.once('open', r))]);
    const closed = new Promise((r) => ws.once('close', r));
    client.close();
    await closed;
    const registry = new SessionRegistry();
    const ctx = { assembly: REFERENCE, policy: profilePolicy('default'), registry, logger: silentLogger };
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const exp = Math.floor(Date.now() / 1000) + 600;
    openSession(ws, { userId: 'u1', isActive: true, roles: ['chat'] }, { sub: 'u1', exp }, 'fp', ctx);
    expect(timers()).toBe(before);
    expect(registry.all()).toEqual([]);
    await new Promise((r) => wss.close(r));
  });
});
