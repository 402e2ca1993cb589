/** The bounded memory of which group a recent message went to (for beforeMsgModify). */
import { describe, expect, it } from 'vitest';
import { RecentGroups } from '#shared/moderation/recent-groups.ts';

describe('Class: RecentGroups', () => {
  it('knows the group of each of the last capacity/2 messages, and forgets beyond capacity', () => {
    // Prepare
    const recent = new RecentGroups(100);

    // Act
    for (let i = 0; i < 1_000; i++) recent.remember(`m${i}`, `g${i % 7}`);

    // Assess
    for (let i = 950; i < 1_000; i++) expect(recent.groupOf(`m${i}`)).toBe(`g${i % 7}`);
    for (let i = 0; i < 900; i++) expect(recent.groupOf(`m${i}`)).toBeUndefined();
  });

  it('keeps the latest group when a message is remembered again, and ignores empty IDs', () => {
    // Prepare
    const recent = new RecentGroups(10);

    // Act
    recent.remember('m1', 'g1');
    recent.remember('m1', 'g2');
    recent.remember('', 'g3');
    recent.remember('m2', '');

    // Assess
    expect([recent.groupOf('m1'), recent.groupOf(''), recent.groupOf('m2')]).toEqual(['g2', undefined, undefined]);
  });
});
