// The handshake deadline: the work's answer, or STALLED when the deadline passes first
// or when a dependency gave up at the deadline (a cancelled lookup is a stall, not a 503).
import { describe, expect, it } from 'vitest';
import { DependencyTimeoutError } from '../../model/errors.ts';
import { STALLED, withDeadline } from './deadline.ts';

const never = () => new Promise<never>(() => {});

describe('withDeadline', () => {
  it('answers with the work when it finishes first', async () => {
    expect(await withDeadline(Promise.resolve('user'), 10_000)).toBe('user');
  });

  it('answers STALLED when the deadline passes first', async () => {
    expect(await withDeadline(never(), 10)).toBe(STALLED);
  });

  it('answers STALLED when a dependency gives up at the deadline, with or without a timer', async () => {
    const cancelled = () => Promise.reject(new DependencyTimeoutError('lookup cancelled'));
    expect(await withDeadline(cancelled(), 10_000)).toBe(STALLED);
    expect(await withDeadline(cancelled(), null)).toBe(STALLED);
  });

  it('passes any other failure on', async () => {
    await expect(withDeadline(Promise.reject(new Error('connection refused')), 10_000)).rejects.toThrow('connection refused');
  });
});
