/**
 * A user's presence, derived from what the store holds for them: the newest event per platform
 * and the newest kick-off. Pure, so the rules read in one place:
 *
 *   platform live  <=>  newest event is "online"  AND  it is newer than the newest kick-off
 *                       AND  it was renewed within the expiry window (OpenIM re-sends online
 *                       about every 10 min; a lost offline must not leave a user online forever)
 *   online         <=>  some platform is live
 *   lastSeen       =    online:  the newest event among live platforms (the last renewal)
 *                       offline: the newest end of a connection: an offline, a kick-off, or the
 *                                last renewal of a platform that expired; null if never seen
 *   isAppBackground =   online and some live platform reported its mobile app in the background
 */

/** The newest event the store holds for one (user, platform). */
export interface PlatformState {
  readonly platformID: number;
  readonly platform: string;
  readonly state: 'online' | 'offline';
  /** Unix ms of that event. */
  readonly at: number;
  readonly isAppBackground: boolean;
}

export interface LivePlatform {
  readonly platformID: number;
  readonly platform: string;
  readonly isAppBackground: boolean;
  /** ISO time of the platform's last online or renewal. */
  readonly lastOnlineAt: string;
}

/** The operator API's shape (`GET /api/presence/{userID}`). */
export interface UserPresence {
  readonly userID: string;
  readonly online: boolean;
  readonly platforms: readonly LivePlatform[];
  /** ISO time, or null for a user never seen. */
  readonly lastSeen: string | null;
  readonly isAppBackground: boolean;
}

export interface PresenceClock {
  /** Unix ms now. */
  readonly now: number;
  /** A platform not renewed for this long counts as offline. */
  readonly expiryMs: number;
}

export function summarisePresence(
  userID: string,
  platforms: readonly PlatformState[],
  kickedAt: number | undefined,
  clock: PresenceClock,
): UserPresence {
  const isLive = (p: PlatformState) =>
    p.state === 'online' && (kickedAt === undefined || p.at > kickedAt) && clock.now - p.at < clock.expiryMs;
  const live = platforms.filter(isLive).sort((a, b) => a.platformID - b.platformID);
  // A kicked connection ended at the kick-off, which is never older than the connection's event.
  const ends = [...platforms.filter((p) => !isLive(p)).map((p) => p.at), ...(kickedAt === undefined ? [] : [kickedAt])];
  const lastSeen = live.length > 0 ? Math.max(...live.map((p) => p.at)) : ends.length > 0 ? Math.max(...ends) : undefined;
  return {
    userID,
    online: live.length > 0,
    platforms: live.map((p) => ({
      platformID: p.platformID,
      platform: p.platform,
      isAppBackground: p.isAppBackground,
      lastOnlineAt: new Date(p.at).toISOString(),
    })),
    lastSeen: lastSeen === undefined ? null : new Date(lastSeen).toISOString(),
    isAppBackground: live.some((p) => p.isAppBackground),
  };
}
