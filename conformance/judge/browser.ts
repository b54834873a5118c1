// Judging on what a web page sees (`run --client browser`): a finding counts only when
// the page could tell the observation from the prediction. A 403 where 401 was due, a
// 401 without WWW-Authenticate, a timeout where a 401 was due: the page sees error and
// close 1006 for all of them. An accept where a refusal was due, a close 1011 where 1008
// was due, a close too early: the page sees those.
import { ABNORMAL_CLOSURE, browserView, OPEN, REFUSED, type BrowserView } from '../../model/browser.ts';
import { observedOutcome, type Evidence } from '../drive/evidence.ts';
import type { Finding, JudgeInput } from './context.ts';

/** Checks whose findings depend on the outcome alone: kept when the page sees a difference. */
const OUTCOME_CHECKS = new Set(['handshake-outcome', 'session-outcome', 'noise-invariance', 'placement-equivalence']);
/** Checks about what a page cannot see at all (response headers). */
const HIDDEN_CHECKS = new Set(['www-authenticate']);

/**
 * An observed outcome (drive/evidence.ts `observedOutcome`) as the page sees it; the
 * close reason when known. `hang`: the page waits, no event; nothing observed: null.
 */
export function browserViewOfObserved(observed: string, close?: { code: number; reason: string } | null): BrowserView | null {
  if (observed === 'accept') return OPEN;
  if (observed === 'timeout' || observed === 'no-connection' || /^(reject-|http-)/.test(observed)) return REFUSED;
  if (observed === 'hang') return { events: [], code: null, wasClean: null, reason: null };
  const closed = /^close-(\d+)$/.exec(observed);
  if (!closed) return null;
  const code = Number(closed[1]);
  // No close frame after the upgrade: a close 1006, not clean, and no error event (Chromium).
  if (code === ABNORMAL_CLOSURE) return { events: ['open', 'close'], code, wasClean: false, reason: '' };
  return { events: ['open', 'close'], code, wasClean: true, reason: close?.reason ?? '' };
}

export function observedBrowserView(e: Evidence): BrowserView | null {
  return browserViewOfObserved(observedOutcome(e), e.close);
}

/** Same events, code and cleanliness: the close reason is backend text, not the contract's. */
export function samePageView(a: BrowserView | null, b: BrowserView | null): boolean {
  if (a === null || b === null) return a === b;
  return a.events.join() === b.events.join() && a.code === b.code && a.wasClean === b.wasClean;
}

export function visibleToBrowser(findings: Finding[], input: JudgeInput): Finding[] {
  const predicted = browserView(input.prediction.outcome, null, input.prediction.reason);
  const seen = observedBrowserView(input.evidence);
  return findings.filter((f) => {
    if (HIDDEN_CHECKS.has(f.check)) return false;
    if (!OUTCOME_CHECKS.has(f.check)) return true;
    if (f.outcomes) return !samePageView(browserViewOfObserved(f.outcomes.primary), browserViewOfObserved(f.outcomes.twin));
    return !samePageView(predicted, seen);
  });
}
