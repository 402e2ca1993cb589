// Moderation log entries: who did what, when, why, and OpenIM's answer to each call made for it.
import { html } from './html.js';

const what = (entry) => entry.decision ?? (entry.penalty ? `${entry.kind} (${entry.penalty.kind})` : entry.kind);

export function LogList({ entries }) {
  return html`<ul class="log">
    ${entries.map(
      (entry) => html`<li key=${entry.entryId} data-log=${entry.kind}>
        <b>${what(entry)}</b> by ${entry.actor} at ${new Date(entry.at).toLocaleString()} — ${entry.reason}
        <span class=${`outcome ${entry.outcome}`}>${entry.outcome}</span>
        ${entry.openim.map((call) => html`<code>${call.path} → ${call.errCode}${call.errMsg ? ` ${call.errMsg}` : ''}</code>`)}
      </li>`,
    )}
  </ul>`;
}
