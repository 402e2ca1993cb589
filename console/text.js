// Message text with the matched terms highlighted (spans come from the server's matcher).
import { html } from './html.js';

export function HighlightedText({ text, highlights }) {
  const parts = [];
  let from = 0;
  for (const { start, end, term } of [...highlights].sort((a, b) => a.start - b.start)) {
    if (start < from) continue;
    if (start > from) parts.push(text.slice(from, start));
    parts.push(html`<mark title=${`matched: ${term}`}>${text.slice(start, end)}</mark>`);
    from = end;
  }
  parts.push(text.slice(from));
  return html`<span class="text">${parts}</span>`;
}

export function ItemText({ item }) {
  if (item.texts.length === 0) return html`<code class="raw">${item.message.content}</code>`;
  return item.texts.map(
    (text, index) => html`<p class="message-text">${HighlightedText({ text, highlights: item.highlights.filter((h) => h.text === index) })}</p>`,
  );
}

/** A context message's readable text: the first text field of its content JSON, else the raw content. */
export function contentText(content) {
  try {
    const parsed = JSON.parse(content);
    for (const key of ['content', 'text', 'data', 'description']) if (typeof parsed[key] === 'string') return parsed[key];
  } catch {
    // Not JSON: show it as it is.
  }
  return content;
}
