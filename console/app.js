// The moderators' console: sign in with the token, work the pending queue, decide with a click or a key.
// Counts and the queue refresh by polling every few seconds: the operator API is plain REST (API
// Gateway + Lambda), and one cheap query per moderator every 5 s needs no push channel.
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { createApi, Unauthorized } from './api.js';
import { html } from './html.js';
import { ItemText, contentText } from './text.js';

const POLL_MS = 5000;
const TOKEN_KEY = 'openim-hooks.token';
const DECISIONS = [
  { decision: 'approved', key: 'a', label: 'Approve', reason: 'not a violation' },
  { decision: 'removed', key: 'r', label: 'Remove message', reason: 'violates the policy' },
  { decision: 'muted', key: 'm', label: 'Remove + mute', reason: 'violates the policy; muted in the group' },
  { decision: 'banned', key: 'b', label: 'Remove + ban', reason: 'serious violation; user banned' },
];

function SignIn({ onToken, error }) {
  const [value, setValue] = useState('');
  const submit = (event) => {
    event.preventDefault();
    if (value.trim()) onToken(value.trim());
  };
  return html`<form class="sign-in" onSubmit=${submit}>
    <h1>Moderation console</h1>
    <label>Operator token <input id="token" type="password" autocomplete="off" value=${value} onInput=${(e) => setValue(e.target.value)} /></label>
    <button type="submit">Sign in</button>
    ${error && html`<p class="error" role="alert">${error}</p>`}
  </form>`;
}

function Counts({ counts }) {
  if (!counts) return null;
  return html`<div class="counts" aria-live="polite">
    <span>pending <b data-count="pending">${counts.pending}</b></span>
    <span>claimed <b data-count="claimed">${counts.claimed}</b></span>
    <span>decided (24 h) <b data-count="decided">${counts.decided}</b></span>
  </div>`;
}

function Queue({ items, selected, onSelect }) {
  if (items.length === 0) return html`<p class="empty">The queue is empty.</p>`;
  return html`<ol class="queue">
    ${items.map(
      (item) => html`<li key=${item.itemId} data-item=${item.itemId} class=${item.itemId === selected ? 'selected' : ''} onClick=${() => onSelect(item.itemId)}>
        <div class="meta">${item.message.senderNickname || item.message.sendID} · ${item.message.groupID ? `group ${item.message.groupID}` : 'single chat'} · ${new Date(item.flaggedAt).toLocaleString()}</div>
        <${ItemText} item=${item} />
      </li>`,
    )}
  </ol>`;
}

function LogList({ entries }) {
  return html`<ul class="log">
    ${entries.map(
      (entry) => html`<li key=${entry.entryId} data-log=${entry.kind}>
        <b>${entry.decision ?? `${entry.kind} (${entry.penalty?.kind})`}</b> by ${entry.actor} at ${new Date(entry.at).toLocaleString()} — ${entry.reason}
        <span class=${`outcome ${entry.outcome}`}>${entry.outcome}</span>
        ${entry.openim.map((call) => html`<code>${call.path} → ${call.errCode}${call.errMsg ? ` ${call.errMsg}` : ''}</code>`)}
      </li>`,
    )}
  </ul>`;
}

function Detail({ api, itemId, onDecided, onError }) {
  const [detail, setDetail] = useState(null);
  const [log, setLog] = useState([]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    const [loaded, itemLog] = await Promise.all([api.item(itemId), api.logOfItem(itemId)]);
    setDetail(loaded);
    setLog(itemLog.entries);
  }, [api, itemId]);
  useEffect(() => {
    setDetail(null);
    setReason('');
    load().catch(onError);
  }, [load]);

  const act = async (work) => {
    if (busy) return;
    setBusy(true);
    try {
      await work();
      await load();
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  };
  const claim = () => act(() => api.claim(itemId));
  const decide = (choice) =>
    act(async () => {
      const current = (await api.item(itemId)).item;
      if (current.state === 'pending') await api.claim(itemId);
      await api.decide(itemId, choice.decision, reason.trim() || choice.reason);
      onDecided();
    });

  useEffect(() => {
    const onKey = (event) => {
      if (event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'c') claim();
      const choice = DECISIONS.find((d) => d.key === event.key);
      if (choice && detail?.item.state !== 'decided') decide(choice);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!detail) return html`<section class="detail">Loading…</section>`;
  const { item, context } = detail;
  const open = item.state !== 'decided';
  return html`<section class="detail" data-state=${item.state}>
    <h2>${item.message.senderNickname || item.message.sendID} <small>${item.message.sendID}</small></h2>
    <p class="state">state: <b id="item-state">${item.state}</b>${item.claimedBy ? ` by ${item.claimedBy}` : ''}${item.decision ? ` · ${item.decision}` : ''}</p>
    <div class="flagged"><${ItemText} item=${item} /></div>
    <p class="terms">terms: ${item.terms.join(', ')} · policy v${item.policyVersion}</p>
    ${open &&
    html`<div class="actions">
      <button id="claim" disabled=${busy || item.state === 'claimed'} onClick=${claim}>Claim <kbd>c</kbd></button>
      <input id="reason" placeholder="reason (optional)" value=${reason} onInput=${(e) => setReason(e.target.value)} />
      ${DECISIONS.map(
        (choice) => html`<button data-decision=${choice.decision} disabled=${busy} onClick=${() => decide(choice)}>${choice.label} <kbd>${choice.key}</kbd></button>`,
      )}
    </div>`}
    <h3>Conversation before it</h3>
    ${context === null
      ? html`<p class="empty">No audit trail in this deployment.</p>`
      : context.length === 0
        ? html`<p class="empty">No earlier messages in the audit trail.</p>`
        : html`<ol class="context">${[...context].reverse().map((m) => html`<li key=${m.serverMsgID}><b>${m.senderNickname || m.sendID}</b> ${contentText(m.content)}</li>`)}</ol>`}
    <h3>Moderation log</h3>
    ${log.length === 0 ? html`<p class="empty">Nothing logged yet.</p>` : html`<${LogList} entries=${log} />`}
  </section>`;
}

function Console({ api, onSignOut }) {
  const [counts, setCounts] = useState(null);
  const [items, setItems] = useState([]);
  const [selected, setSelected] = useState(null);
  const [error, setError] = useState(null);
  const onError = useCallback((e) => (e instanceof Unauthorized ? onSignOut(e.message) : setError(e.message)), [onSignOut]);
  const refresh = useCallback(async () => {
    const [c, page] = await Promise.all([api.counts(), api.pending()]);
    setCounts(c);
    setItems(page.items);
  }, [api]);
  useEffect(() => {
    refresh().catch(onError);
    const timer = setInterval(() => refresh().catch(onError), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  useEffect(() => {
    const onKey = (event) => {
      if (event.target instanceof HTMLInputElement || items.length === 0) return;
      const at = items.findIndex((item) => item.itemId === selected);
      if (event.key === 'j') setSelected(items[Math.min(at + 1, items.length - 1)].itemId);
      if (event.key === 'k') setSelected(items[Math.max(at - 1, 0)].itemId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  return html`<div class="console">
    <header><h1>Moderation</h1><${Counts} counts=${counts} /><button class="sign-out" onClick=${() => onSignOut()}>Sign out</button></header>
    ${error && html`<p class="error" role="alert" onClick=${() => setError(null)}>${error}</p>`}
    <div class="panes">
      <${Queue} items=${items} selected=${selected} onSelect=${setSelected} />
      ${selected ? html`<${Detail} api=${api} itemId=${selected} onDecided=${() => refresh().catch(onError)} onError=${onError} />` : html`<p class="hint">Select an item (<kbd>j</kbd>/<kbd>k</kbd>).</p>`}
    </div>
  </div>`;
}

function App() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY));
  const [error, setError] = useState(null);
  const signIn = async (candidate) => {
    try {
      await createApi(candidate).counts();
      sessionStorage.setItem(TOKEN_KEY, candidate);
      setError(null);
      setToken(candidate);
    } catch (e) {
      setError(e instanceof Unauthorized ? 'That token was refused.' : e.message);
    }
  };
  const signOut = useCallback((reason) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setError(reason ?? null);
  }, []);
  const api = useMemo(() => createApi(token ?? ''), [token]);
  return token ? html`<${Console} api=${api} onSignOut=${signOut} />` : html`<${SignIn} onToken=${signIn} error=${error} />`;
}

render(html`<${App} />`, document.getElementById('app'));
