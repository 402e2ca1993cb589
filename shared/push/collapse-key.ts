/**
 * The collapse key of a conversation's notifications: a device shows only the newest one per
 * conversation (FCM `android.collapse_key`, APNs `apns-collapse-id`). APNs caps the identifier at
 * 64 bytes, so a longer conversationID is replaced by its SHA-256 (base64url, 43 characters).
 */
import { createHash } from 'node:crypto';

export const COLLAPSE_KEY_MAX_BYTES = 64;

export function collapseKeyOf(conversationID: string): string {
  if (Buffer.byteLength(conversationID, 'utf8') <= COLLAPSE_KEY_MAX_BYTES) return conversationID;
  return createHash('sha256').update(conversationID).digest('base64url');
}
