/**
 * The title and body of an offline notification. OpenIM's offlinePushInfo wins when the sender set
 * it (title/desc); otherwise, like OpenIM's own push (push_handler.go `getOfflinePushInfos`), a
 * label per content type, with a short preview of text messages. The preview is cut so the whole
 * notification stays far below the providers' 4 KB payload limit.
 */
import { SESSION_TYPES } from '../openim/conversation-id.ts';

export const PREVIEW_MAX_CHARS = 120;

const CONTENT_TYPES = { text: 101, picture: 102, voice: 103, video: 104, file: 105, atText: 106, card: 108, location: 109, quote: 114 } as const;

const LABELS: Readonly<Record<number, string>> = {
  [CONTENT_TYPES.picture]: '[Image]',
  [CONTENT_TYPES.voice]: '[Voice]',
  [CONTENT_TYPES.video]: '[Video]',
  [CONTENT_TYPES.file]: '[File]',
  [CONTENT_TYPES.card]: '[Contact card]',
  [CONTENT_TYPES.location]: '[Location]',
};

export interface NotificationSource {
  readonly contentType: number;
  readonly sessionType: number;
  /** The element JSON (or, for notification types, OpenIM's `detail` string). */
  readonly content: string;
  readonly title?: string | undefined;
  readonly desc?: string | undefined;
}

export function notificationText(source: NotificationSource): { title: string; body: string } {
  const title = source.title || (source.sessionType === SESSION_TYPES.readGroup ? 'New group message' : 'New message');
  const body = source.desc || preview(source);
  return { title: cut(title), body: cut(body) };
}

function preview({ contentType, content }: NotificationSource): string {
  const label = LABELS[contentType];
  if (label) return label;
  if (contentType === CONTENT_TYPES.text || contentType === CONTENT_TYPES.atText || contentType === CONTENT_TYPES.quote) {
    const text = textOf(content);
    if (text) return text;
  }
  return '[New message]';
}

function textOf(content: string): string | undefined {
  try {
    const element = JSON.parse(content) as { content?: unknown; text?: unknown };
    const text = typeof element.content === 'string' ? element.content : element.text;
    return typeof text === 'string' ? text.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Cuts at a code point boundary, so no surrogate half reaches a provider. */
function cut(text: string): string {
  const points = Array.from(text);
  return points.length <= PREVIEW_MAX_CHARS ? text : `${points.slice(0, PREVIEW_MAX_CHARS - 1).join('')}…`;
}
