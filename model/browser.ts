// What a web page's `WebSocket` can tell apart. The browser hides the HTTP answer to
// the upgrade (WHATWG WebSockets: "fail the WebSocket connection"): every refused
// handshake, whatever its status, and a socket released unanswered reach the page as
// an `error` event then a `close` with code 1006, `wasClean` false and no reason. Only
// a close after the upgrade carries its code and reason to the page.
import type { Placement, Policy } from './policy.ts';
import { OUTCOMES, REASONS, closeCode, type Outcome, type Reason } from './reasons.ts';
import { outcomeOf } from './machine.ts';

export type BrowserEvent = 'open' | 'error' | 'close';

export interface BrowserView {
  /** Events the page's WebSocket fires, in order (messages left out). */
  events: BrowserEvent[];
  /** `CloseEvent.code`, or null while the socket stays open (or never settles). */
  code: number | null;
  /** `CloseEvent.wasClean`, or null without a close. */
  wasClean: boolean | null;
  /** `CloseEvent.reason`, or null without a close. */
  reason: string | null;
}

/** A close after the upgrade, as the server sent it. */
export interface ServerClose {
  code: number;
  reason: string;
}

/** Close code of a connection that ended without a close frame (RFC 6455 7.1.5). */
export const ABNORMAL_CLOSURE = 1006;

export const REFUSED: BrowserView = { events: ['error', 'close'], code: ABNORMAL_CLOSURE, wasClean: false, reason: '' };
export const OPEN: BrowserView = { events: ['open'], code: null, wasClean: null, reason: null };

/**
 * A model outcome as the page sees it. `close` is the server's close frame after the
 * upgrade; for `close-1008` without one, the reason is the model's reason (what the
 * reference backend sends).
 */
export function browserView(outcome: Outcome, close?: ServerClose | null, reason?: Reason): BrowserView {
  switch (outcome) {
    case 'accept':
      return OPEN;
    case 'reject-401':
    case 'reject-403':
    case 'timeout':
      return REFUSED;
    default: {
      // Any declared refusal looks like a 401 to a page; any declared close carries its code.
      const code = closeCode(outcome);
      if (code === null) return REFUSED;
      return { events: ['open', 'close'], code: close?.code ?? code, wasClean: true, reason: close?.reason ?? reason ?? '' };
    }
  }
}

/**
 * Placements a page can put a credential in. `new WebSocket(url, protocols)` sets no
 * request header but `Sec-WebSocket-Protocol`; cookies ride along; the query is in the URL.
 */
export const BROWSER_PLACEMENTS: readonly Placement[] = ['query', 'cookie', 'subprotocol', 'first-message'];

export function browserCanUse(placement: string): boolean {
  return (BROWSER_PLACEMENTS as readonly string[]).includes(placement);
}

export const BROWSER_UNUSABLE_REASON = "a browser's WebSocket API cannot set an Authorization header";

/** One line for tables: `error, close 1006 (not clean)`, `open, close 1008 "reason" (clean)`. */
export function describeBrowserView(view: BrowserView, withReason = true): string {
  if (view.code === null) return view.events.length ? `${view.events.join(', ')} (stays open)` : 'no event';
  const reason = withReason && view.reason ? ` "${view.reason}"` : '';
  return `${view.events.join(', ')} ${view.code}${reason} (${view.wasClean ? 'clean' : 'not clean'})`;
}

export interface Collapse {
  /** What the page sees, without the close reason. */
  view: string;
  /** The contract's distinct outcomes that look like this to a page. */
  outcomes: Outcome[];
  /** How many reasons end in one of these outcomes under the policy. */
  reasons: number;
}

/**
 * The outcomes of the policy a page cannot tell apart: groups of two or more that
 * project onto the same events and close code (a close reason is backend text).
 */
export function browserCollapses(policy: Policy): Collapse[] {
  const reachable = new Map<Outcome, number>();
  for (const r of REASONS) {
    const o = outcomeOf(policy, r);
    reachable.set(o, (reachable.get(o) ?? 0) + 1);
  }
  const groups = new Map<string, Outcome[]>();
  const declared = [...reachable.keys()].filter((o) => !(OUTCOMES as readonly string[]).includes(o)).sort();
  for (const outcome of [...OUTCOMES.filter((o) => reachable.has(o)), ...declared]) {
    const key = describeBrowserView(browserView(outcome), false);
    groups.set(key, [...(groups.get(key) ?? []), outcome]);
  }
  return [...groups.entries()]
    .filter(([, outcomes]) => outcomes.length > 1)
    .map(([view, outcomes]) => ({ view, outcomes, reasons: outcomes.reduce((n, o) => n + reachable.get(o)!, 0) }));
}
