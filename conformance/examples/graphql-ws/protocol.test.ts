// What the tool cannot drive yet, checked with a plain ws client: the graphql-ws app
// answers each step of its protocol as graphql-ws documents (README, table).
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from '../ws-jsonwebtoken/server.ts';
import { AUDIENCE, ISSUER, startServer } from './server.ts';

const SECRET = 'graphql-ws-protocol-test-secret-0123456789';
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, secret: SECRET });
});
afterAll(() => server.close());

const token = (sub: string) => jwt.sign({ sub, iss: ISSUER, aud: AUDIENCE }, SECRET, { expiresIn: 60 });

/** The first thing the server does after the upgrade: a message or a close. */
function firstAnswer(protocols: string[], message: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.url, protocols);
    ws.on('open', () => message !== null && ws.send(JSON.stringify(message)));
    ws.on('message', (data) => (resolve(`message ${String(data)}`), ws.close()));
    ws.on('close', (code, reason) => resolve(`close ${code} ${String(reason)}`));
    ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
    ws.on('error', reject);
  });
}

describe('graphql-ws app: the protocol as documented', () => {
  const P = ['graphql-transport-ws'];
  it('a good token in connection_init is acknowledged', async () => {
    expect(await firstAnswer(P, { type: 'connection_init', payload: { token: token('alice') } })).toBe('message {"type":"connection_ack"}');
  });
  it('a bad token, or a user without the role, closes 4403', async () => {
    expect(await firstAnswer(P, { type: 'connection_init', payload: { token: 'not-a-jwt' } })).toBe('close 4403 Forbidden');
    expect(await firstAnswer(P, { type: 'connection_init', payload: { token: token('carol') } })).toBe('close 4403 Forbidden');
  });
  it('without the graphql-transport-ws subprotocol: close 4406 before anything is read', async () => {
    expect(await firstAnswer([], { type: 'connection_init', payload: { token: token('alice') } })).toBe('close 4406 Subprotocol not acceptable');
  });
  it('a message that is not one of the protocol (the policy first message today): close 4400', async () => {
    expect(await firstAnswer(P, { type: 'auth', token: token('alice') })).toBe('close 4400 Invalid message received');
  });
  it('no connection_init within 3 s: close 4408', async () => {
    expect(await firstAnswer(P, null)).toBe('close 4408 Connection initialisation timeout');
  }, 10_000);
  it('a foreign Origin: 403 before the upgrade', async () => {
    const answer = await new Promise<string>((resolve) => {
      const ws = new WebSocket(server.url, P, { headers: { Origin: 'https://evil.example' } });
      ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
      ws.on('open', () => resolve('open'));
    });
    expect(answer).toBe('http 403');
  });
});
