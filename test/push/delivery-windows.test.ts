/** Delivery windows: how a job's recipients map to delivery-log records (docs/push.md). */
import { describe, expect, it } from 'vitest';
import { deliveryWindowsOf, WINDOW_USERS } from '#shared/push/delivery-windows.ts';
import { windowDeviceKey } from '#shared/store/delivery-log.ts';

const users = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `user-${from + i}`);

describe('Function: deliveryWindowsOf()', () => {
  it('cuts the recipients into windows of 50 in the job\'s order, each named by its message and users', () => {
    // Act
    const windows = deliveryWindowsOf('m-1', [...users(120), 'user-3']);

    // Assess
    expect(windows.map((window) => window.userIDs)).toEqual([users(WINDOW_USERS), users(WINDOW_USERS, 50), users(20, 100)]);
    expect(deliveryWindowsOf('m-1', users(120)).map((window) => window.id)).toEqual(windows.map((window) => window.id));
    expect(new Set(windows.map((window) => window.id)).size).toBe(3);
    expect(windows.every((window) => window.id.startsWith('m-1#window#'))).toBe(true);
  });

  it('names a window differently for another message or other users', () => {
    // Act
    const [first] = deliveryWindowsOf('m-1', users(50));
    const [otherMessage] = deliveryWindowsOf('m-2', users(50));
    const [otherUsers] = deliveryWindowsOf('m-1', users(50, 1));

    // Assess
    expect(new Set([first!.id, otherMessage!.id, otherUsers!.id]).size).toBe(3);
  });
});

describe('Function: windowDeviceKey()', () => {
  it('keeps a short device ID readable and hashes a long one, so 5,000 entries fit in one 400 KB item', () => {
    // Prepare
    const longID = 'd'.repeat(128);

    // Act
    const short = windowDeviceKey(49, 'phone');
    const long = windowDeviceKey(49, longID);

    // Assess
    expect(short).toBe('49#phone');
    expect(long).toMatch(/^49#=[A-Za-z0-9_-]{22}$/);
    expect(windowDeviceKey(49, `${'d'.repeat(127)}e`)).not.toBe(long);
    // 50 users x 100 devices, each entry with the longest outcome name and DynamoDB's per-entry overhead.
    expect(50 * 100 * (long.length + 'invalid-token'.length + 1)).toBeLessThan(400 * 1024);
  });
});
