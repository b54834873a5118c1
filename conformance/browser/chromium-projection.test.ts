// The browser projection proven in a real browser: headless Chromium opens a page served
// from an origin the backend allows, the page's WebSocket connects to the reference
// backend with a credential where a page can put one (query, cookie, subprotocol,
// first message), and what the page sees equals the model's projection of the model's
// outcome. The same request through `ws` shows the wire answer the page cannot see.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserView, type BrowserView } from '../../model/browser.ts';
import { CANONICAL_FACTS, type Facts } from '../../model/facts.ts';
import { predict } from '../../model/oracle.ts';
import { resolvePolicy, type Policy } from '../../model/policy.ts';
import type { Directory, SqlDirectory } from '../../src/directory/directory.ts';
import { openPgliteDirectory } from '../../src/directory/pglite.ts';
import { userSeeder } from '../../src/directory/seed.ts';
import { startReferenceBackend, type ReferenceBackend } from '../../src/server.ts';
import { attempt, mint, SECRET, stallingDirectory } from '../../src/testing/harness.ts';
import { WebSocketServer } from 'ws';
import { browserViewOfObserved } from '../judge/browser.ts';
import { chromiumMissing, launchChromium } from '../testing/chromium.ts';

const DEADLINE_MS = 400;
let page: Server;
let origin: string;
let policy: Policy;
let directory: SqlDirectory;
let stalling: ReturnType<typeof stallingDirectory>;
let backend: ReferenceBackend;
let failing: ReferenceBackend;
let browser: Browser;

/** What the page's script records: events in order, and the close event's fields. */
interface PageView extends BrowserView {
  messages: string[];
}

/** Runs in the page: one WebSocket, watched until it closes or `watchMs` pass. */
function connectInPage(args: { url: string; protocols: string[]; send: string | null; watchMs: number }): Promise<PageView> {
  return new Promise((resolve) => {
    const view: PageView = { events: [], code: null, wasClean: null, reason: null, messages: [] };
    const ws = new WebSocket(args.url, args.protocols);
    const done = () => resolve(view);
    const timer = setTimeout(done, args.watchMs);
    ws.onopen = () => {
      view.events.push('open');
      if (args.send !== null) ws.send(args.send);
    };
    ws.onmessage = (e) => view.messages.push(String(e.data));
    ws.onerror = () => view.events.push('error');
    ws.onclose = (e) => {
      view.events.push('close');
      Object.assign(view, { code: e.code, wasClean: e.wasClean, reason: e.reason });
      clearTimeout(timer);
      done();
    };
  });
}

interface BrowserCase {
  name: string;
  facts: Partial<Facts>;
  user: string;
  /** The credential as the page sends it. */
  place: (token: string) => { query?: string; cookie?: string; protocols?: string[]; send?: string };
  token?: () => Promise<string>;
  watchMs?: number;
  /** The wire answer the `ws` client sees for the same request (status, or null for none). */
  wire: number | null;
  backend?: () => ReferenceBackend;
}

const now = () => Math.floor(Date.now() / 1000);
const OTHER_SECRET = 'a-secret-the-backend-does-not-have-0123456789';

const CASES: BrowserCase[] = [
  { name: 'accept (token in the query)', facts: { placement: 'query' }, user: 'alice', place: (t) => ({ query: t }), wire: 101 },
  {
    name: 'reject-401 (expired token as subprotocol)',
    facts: { placement: 'subprotocol', exp: 'past' },
    user: 'alice',
    token: () => mint({ claims: { exp: now() - 60 } }),
    place: (t) => ({ protocols: ['bearer', t] }),
    wire: 401,
  },
  { name: 'reject-403 (inactive user, cookie)', facts: { placement: 'cookie', user: 'inactive' }, user: 'bob', place: (t) => ({ cookie: t }), wire: 403 },
  {
    name: 'close-1008 (first message with a wrongly signed token)',
    facts: { placement: 'first-message', signature: 'wrong-key' },
    user: 'alice',
    token: () => mint({ secret: OTHER_SECRET }),
    place: (t) => ({ send: JSON.stringify({ type: 'auth', token: t }) }),
    wire: 101,
  },
  {
    name: 'close-1008 (token reaches exp while open, cookie)',
    facts: { placement: 'cookie', session: 'token-expires' },
    user: 'alice',
    // Two to three seconds of life: the handshake is over long before, the close comes while open.
    token: () => mint({ claims: { exp: now() + 3 } }),
    place: (t) => ({ cookie: t }),
    watchMs: 6000,
    wire: 101,
  },
  { name: 'timeout (user lookup stalls, cookie)', facts: { placement: 'cookie', latency: 'stalled' }, user: 'stalled', place: (t) => ({ cookie: t }), watchMs: 3000, wire: null },
];

beforeAll(async () => {
  if (chromiumMissing() && !process.env.CI) return;
  page = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>ws-auth page</title>'));
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  // The page's origin is the one the contract allows; the rest is the default profile
  // with every placement a page can use enabled.
  policy = resolvePolicy({
    allowedOrigins: [origin],
    placements: { query: true, 'first-message': true },
    clockSkewSeconds: 0,
    handshakeDeadlineMs: DEADLINE_MS,
    authWindowMs: 1000,
  });
  directory = await openPgliteDirectory();
  await userSeeder(directory.sql).insert([
    { user_id: 'alice', roles: ['chat'] },
    { user_id: 'bob', is_active: false, roles: ['chat'] },
    { user_id: 'stalled', roles: ['chat'] },
    { user_id: 'broken', roles: ['chat'] },
  ]);
  stalling = stallingDirectory(directory, new Set(['stalled']));
  backend = await startReferenceBackend({ policy, keys: { secret: SECRET }, directory: stalling });
  failing = await startReferenceBackend({ policy, keys: { secret: SECRET }, directory: failingFor('broken', directory) });
  browser = await launchChromium();
});

afterAll(async () => {
  stalling?.release();
  await browser?.close();
  await backend?.close();
  await failing?.close();
  await directory?.close();
  await new Promise((r) => (page ? page.close(r) : r(undefined)));
});

/** A directory whose lookup of one user fails (a dependency error: the backend answers 503). */
function failingFor(userId: string, inner: Directory): Directory {
  return { ...inner, lookup: (id) => (id === userId ? Promise.reject(new Error('connection terminated')) : inner.lookup(id)), subscribe: (l) => inner.subscribe(l), ping: () => inner.ping(), close: () => inner.close() };
}

async function seenByPage(context: BrowserContext, url: string, c: BrowserCase, token: string): Promise<PageView> {
  const placed = c.place(token);
  const target = placed.query ? `${url}?access_token=${encodeURIComponent(placed.query)}` : url;
  if (placed.cookie) await context.addCookies([{ name: 'access_token', value: placed.cookie, url: url.replace(/^ws/, 'http') }]);
  const tab = await context.newPage();
  await tab.goto(`${origin}/`);
  return tab.evaluate(connectInPage, { url: target, protocols: placed.protocols ?? [], send: placed.send ?? null, watchMs: c.watchMs ?? 600 });
}

const skip = chromiumMissing() !== null && !process.env.CI;

describe.skipIf(skip)('what a page sees in Chromium equals the projection', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const facts: Facts = { ...CANONICAL_FACTS, origin: 'allowed', ...c.facts };
    const prediction = predict(policy, facts);
    const makeToken = c.token ?? (() => mint({ claims: { sub: c.user } }));
    const token = await makeToken();
    const context = await browser.newContext();
    try {
      const seen = await seenByPage(context, backend.url, c, token);
      const { messages: _messages, ...view } = seen;
      expect(view, `page view for ${prediction.outcome} (${prediction.reason})`).toEqual(browserView(prediction.outcome, null, prediction.reason));
    } finally {
      await context.close();
    }
    // The wire answer the page could not see, through a client that can see it (a fresh
    // token: the expiry case's first one has expired by now).
    const placed = c.place(await makeToken());
    const wire = await attempt(placed.query ? `${backend.url}?access_token=${encodeURIComponent(placed.query)}` : backend.url, {
      headers: { Origin: origin, ...(placed.cookie ? { Cookie: `access_token=${placed.cookie}` } : {}) },
      protocols: placed.protocols ?? [],
      send: placed.send ? [placed.send] : [],
      observeMs: 100,
      handshakeTimeoutMs: DEADLINE_MS + 1500,
    });
    expect(wire.status).toBe(c.wire);
  });

  it('a socket dropped after the upgrade without a close frame is seen as projected (open, close 1006, not clean)', async () => {
    const dropper = createServer();
    const wss = new WebSocketServer({ noServer: true });
    dropper.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, () => setTimeout(() => socket.destroy(), 100)));
    await new Promise<void>((r) => dropper.listen(0, '127.0.0.1', r));
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(`${origin}/`);
      const { messages: _m, ...seen } = await tab.evaluate(connectInPage, { url: `ws://127.0.0.1:${(dropper.address() as AddressInfo).port}/ws`, protocols: [], send: null, watchMs: 3000 });
      expect(seen).toEqual(browserViewOfObserved('close-1006'));
    } finally {
      await context.close();
      wss.close();
      dropper.close();
    }
  });

  it('an HTTP 503 (a failing user directory) looks like every other refusal', async () => {
    const context = await browser.newContext();
    try {
      const token = await mint({ claims: { sub: 'broken' } });
      const seen = await seenByPage(context, failing.url, { name: '503', facts: {}, user: 'broken', place: (t) => ({ cookie: t }), wire: 503 }, token);
      const { messages: _m, ...view } = seen;
      expect(view).toEqual(browserViewOfObserved('http-503'));
      const wire = await attempt(failing.url, { headers: { Origin: origin, Cookie: `access_token=${token}` } });
      expect(wire.status).toBe(503);
    } finally {
      await context.close();
    }
  });
});
