/**
 * The `apns-id` of one message's notification to one device: a UUID (the form APNs requires)
 * derived from (message, user, device) by SHA-256, so every attempt, in any job run, carries the
 * same ID and Apple's reports and any copy that reaches the device name the same notification.
 */
import { createHash } from 'node:crypto';

export function apnsIdOf(messageID: string, userID: string, deviceID: string): string {
  const hex = createHash('sha256').update(`${messageID}#${userID}#${deviceID}`).digest('hex');
  // RFC 9562 version 8 (custom) with the RFC variant bits.
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
