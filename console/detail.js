// One review item: the message and why it is here, the sender's record, the conversation before
// it, and the actions this person may take, those the server cannot carry out disabled with why.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { ItemText, contentText } from './text.js';
import { LogList } from './log-list.js';

export const DECISIONS = [
  { decision: 'approved', key: 'a', label: 'Approve', tone: 'safe' },
  { decision: 'removed', key: 'r', label: 'Remove message', tone: 'danger' },
  { decision: 'muted', key: 'm', label: 'Remove + mute', tone: 'danger' },
  { decision: 'banned', key: 'b', label: 'Remove + ban', tone: 'danger' },
];

/** Reasons moderators give most, per decision; the first is used when the reason field is empty. */
export const REASON_TEMPLATES = {
  approved: ['not a violation', 'false positive: the term is used innocently', 'quoted or reported speech'],
  removed: ['violates the policy', 'scam or fraud', 'spam', 'harassment'],
  muted: ['violates the policy; muted in the group', 'repeated harassment in the group', 'flooding the group'],
  banned: ['serious violation; user banned', 'fraud against other users', 'threats of violence'],
};

const time = (iso) => (iso ? new Date(iso).toLocaleString() : '');

export const canModerate = (me) => me.role === 'moderator' || me.role === 'admin';

function SenderRecord({ sender }) {
  const { violations, penalties } = sender;
  return html`<div class="sender-record">
    <span>last 30 days: <b>${violations.confirmed}</b> confirmed, <b>${violations.flagged}</b> flagged, <b>${violations.blocked}</b> blocked</span>
    ${penalties.length === 0
      ? html`<span>no penalty in force</span>`
      : penalties.map((p) => html`<span class="penalty">${p.kind === 'forbid' ? 'banned' : `muted in ${p.groupID}`} since ${time(p.appliedAt)}</span>`)}
  </div>`;
}

function Origin({ item }) {
  if (item.source === 'appeal') {
    return html`<p class="origin appeal">Appeal by <b>${item.appeal.by}</b> of <b>${item.appeal.decision}</b> by ${item.appeal.decidedBy} (item ${item.appeal.of}): “${item.appeal.text}”.
      Approve to overturn; decide as before to uphold.</p>`;
  }
  const reports = item.reports ? html` · reported by <b>${item.reports.count}</b> user${item.reports.count === 1 ? '' : 's'} (${item.reports.categories.join(', ')})` : '';
  return html`<p class="origin">${item.source === 'flag' ? html`terms: ${item.terms.join(', ')} · policy v${item.policyVersion}` : 'reported by users'}${reports}</p>`;
}

export function Detail({ api, me, itemId, onChanged, onDecided, onError }) {
  const [detail, setDetail] = useState(null);
  const [log, setLog] = useState([]);
  const [history, setHistory] = useState([]);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);

  const load = useCallback(async () => {
    const loaded = await api.item(itemId);
    const [itemLog, userLog] = await Promise.all([api.logOfItem(itemId), api.logOfUser(loaded.item.message.sendID)]);
    setDetail(loaded);
    setLog(itemLog.entries);
    setHistory(userLog.entries.filter((entry) => entry.itemId !== itemId && (entry.kind === 'decision' || entry.kind.startsWith('penalty'))));
  }, [api, itemId]);
  useEffect(() => {
    setDetail(null);
    setReason('');
    setProblem(null);
    load().catch(onError);
  }, [load]);

  /** Runs an action; its failure stays on this item (a conflict, a refused decision), not in a global banner. */
  const act = async (work, after) => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    let movedOn = false;
    try {
      await work();
      onChanged();
      movedOn = after?.() === true;
    } catch (error) {
      if (error.status) setProblem(error.message);
      else onError(error);
    } finally {
      setBusy(false);
      if (!movedOn) await load().catch(onError);
    }
  };
  const claim = () => act(() => api.claim(itemId));
  const release = () => act(() => api.release(itemId));
  const decide = (decision) =>
    act(
      async () => {
        if (detail.item.state === 'pending') await api.claim(itemId);
        await api.decide(itemId, decision, reason.trim() || REASON_TEMPLATES[decision][0]);
      },
      () => onDecided(itemId),
    );
  const addNote = () => note.trim() && act(() => api.note(itemId, note.trim()), () => setNote(''));
  const escalate = () => act(() => api.escalate(itemId, note.trim() || 'needs another look'), () => setNote(''));

  const moderator = canModerate(me);
  const { item, context, decisions, sender } = detail ?? {};
  const open = item && item.state !== 'decided';
  const heldByOther = item?.state === 'claimed' && item.claimedBy !== me.name;
  const whyNot = (choice) => {
    if (!moderator) return `needs the moderator role (you are ${me.role})`;
    if (heldByOther) return `claimed by ${item.claimedBy}`;
    return decisions.find((d) => d.decision === choice.decision)?.reason;
  };

  useEffect(() => {
    const onKey = (event) => {
      if (!open || event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'c' && moderator && item.state === 'pending') claim();
      const choice = DECISIONS.find((d) => d.key === event.key);
      if (choice && !whyNot(choice)) decide(choice.decision);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!detail) return html`<section class="detail" aria-busy="true">Loading…</section>`;
  const unavailable = DECISIONS.filter((choice) => whyNot(choice));
  return html`<section class="detail" data-state=${item.state} aria-labelledby="detail-title">
    <h2 id="detail-title">${item.message.senderNickname || '(no nickname)'} <code class="user-id">${item.message.sendID}</code></h2>
    <${SenderRecord} sender=${sender} />
    <p class="state">
      state: <b id="item-state">${item.state}</b>
      ${item.state === 'claimed' && html` by <b id="claimed-by">${item.claimedBy}</b>${item.claimedAt ? ` since ${time(item.claimedAt)}` : ''}`}
      ${item.decision && html` · <b>${item.decision}</b> by ${item.decidedBy} at ${time(item.decidedAt)}`}
      ${item.escalation && html` · <span class="escalated">escalated by ${item.escalation.by}: ${item.escalation.reason}</span>`}
    </p>
    <div class="flagged"><${ItemText} item=${item} /></div>
    <p class="sent">sent ${item.message.sendTime ? time(new Date(item.message.sendTime).toISOString()) : `at an unusable time (${item.unusableSendTime ?? 'unset'})`} · ${item.message.groupID ? `group ${item.message.groupID}` : 'single chat'}</p>
    <${Origin} item=${item} />
    ${problem && html`<p class="error" role="alert" id="item-error">${problem}</p>`}
    ${item.lastFailure &&
    html`<div class="failure" role="alert" id="last-failure">
      <p><b>${item.lastFailure.decision}</b> failed at ${time(item.lastFailure.at)}: ${item.lastFailure.error}</p>
      <p>The item stays claimed by you until you retry, decide otherwise or release it.</p>
      <button id="retry" disabled=${busy || item.lastFailure.kind === 'notApplicable'} title=${item.lastFailure.kind === 'notApplicable' ? 'it cannot apply here; retrying will not help' : ''} onClick=${() => decide(item.lastFailure.decision)}>Retry ${item.lastFailure.decision}</button>
      <button id="release-failed" disabled=${busy} onClick=${release}>Release</button>
    </div>`}
    ${open &&
    html`<div class="actions">
      <button id="claim" disabled=${busy || !moderator || item.state === 'claimed'} title=${moderator ? '' : 'needs the moderator role'} onClick=${claim}>Claim <kbd>c</kbd></button>
      ${item.state === 'claimed' && (item.claimedBy === me.name || me.role === 'admin') && html`<button id="release" disabled=${busy} onClick=${release}>Release</button>`}
      <label class="reason">Reason
        <input id="reason" list="reason-templates" placeholder="empty: the decision's usual reason" value=${reason} onInput=${(e) => setReason(e.target.value)} />
      </label>
      <datalist id="reason-templates">${Object.values(REASON_TEMPLATES).flat().map((text) => html`<option value=${text} />`)}</datalist>
      <div class="decisions">
        ${DECISIONS.map(
          (choice) => html`<button class=${choice.tone} data-decision=${choice.decision} disabled=${busy || Boolean(whyNot(choice))} title=${whyNot(choice) ?? ''} onClick=${() => decide(choice.decision)}>
            ${choice.label} <kbd>${choice.key}</kbd>
          </button>`,
        )}
      </div>
      ${unavailable.length > 0 && html`<ul class="unavailable">${unavailable.map((choice) => html`<li data-unavailable=${choice.decision}>${choice.label}: ${whyNot(choice)}</li>`)}</ul>`}
    </div>`}
    <div class="annotate">
      <label>Note or escalation reason <input id="note" value=${note} onInput=${(e) => setNote(e.target.value)} /></label>
      <button id="add-note" disabled=${busy || !note.trim()} onClick=${addNote}>Add note</button>
      ${open && html`<button id="escalate" disabled=${busy} onClick=${escalate}>Escalate</button>`}
    </div>
    <h3>Conversation before it</h3>
    ${context === null
      ? html`<p class="empty">No audit trail in this deployment.</p>`
      : context.length === 0
        ? html`<p class="empty">No earlier messages in the audit trail.</p>`
        : html`<ol class="context">${[...context].reverse().map((m) => html`<li key=${m.serverMsgID}><time>${time(new Date(m.sendTime).toISOString())}</time> <b>${m.senderNickname || m.sendID}</b> <code class="user-id">${m.sendID}</code> ${contentText(m.content)}</li>`)}</ol>`}
    <h3>This item's log</h3>
    ${log.length === 0 ? html`<p class="empty">Nothing logged yet.</p>` : html`<${LogList} entries=${log} />`}
    <h3>Earlier decisions and penalties for ${item.message.sendID}</h3>
    ${history.length === 0 ? html`<p class="empty">None.</p>` : html`<${LogList} entries=${history} />`}
  </section>`;
}
