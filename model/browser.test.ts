// The browser projection: which outcomes a page can tell apart, stated per outcome.
import { describe, expect, it } from 'vitest';
import { BROWSER_PLACEMENTS, browserCanUse, browserCollapses, browserView, describeBrowserView } from './browser.ts';
import { profilePolicy, resolvePolicy } from './policy.ts';

describe('browser projection', () => {
  it('every refused handshake and a release by the deadline look the same: error, close 1006, not clean, no reason', () => {
    const views = (['reject-401', 'reject-403', 'timeout'] as const).map((o) => browserView(o));
    for (const v of views) expect(v).toEqual({ events: ['error', 'close'], code: 1006, wasClean: false, reason: '' });
  });

  it('an accepted socket opens and stays open', () => {
    expect(browserView('accept')).toEqual({ events: ['open'], code: null, wasClean: null, reason: null });
  });

  it('a close after the upgrade reaches the page with its code and reason, cleanly', () => {
    expect(browserView('close-1008', { code: 1008, reason: 'session-token-expired' })).toEqual({ events: ['open', 'close'], code: 1008, wasClean: true, reason: 'session-token-expired' });
    expect(browserView('close-1008', null, 'auth-message-missing').reason).toBe('auth-message-missing');
  });

  it('the default contract has five outcomes; a page tells three apart', () => {
    const collapses = browserCollapses(profilePolicy('default'));
    expect(collapses).toEqual([{ view: 'error, close 1006 (not clean)', outcomes: ['reject-401', 'reject-403', 'timeout'], reasons: 35 }]);
    // Overrides move reasons between 401 and 403; the page still cannot see which.
    expect(browserCollapses(resolvePolicy({ outcomes: { 'user-inactive': 'reject-401' } }))[0]!.reasons).toBe(35);
  });

  it('a page cannot use the Authorization header', () => {
    expect(browserCanUse('authorization-header')).toBe(false);
    expect(BROWSER_PLACEMENTS.every(browserCanUse)).toBe(true);
  });

  it('describes a view in one line', () => {
    expect(describeBrowserView(browserView('close-1008', { code: 1008, reason: 'x' }))).toBe('open, close 1008 "x" (clean)');
    expect(describeBrowserView(browserView('accept'))).toBe('open (stays open)');
  });
});
