// The moderators' console: sign in (a pasted token locally, Cognito's hosted UI in AWS, as
// config.json says), work the queue views, decide with a click or a key.
// Counts and the queue refresh by polling every few seconds and at once after one's own action:
// the operator API is plain REST (API Gateway + Lambda), and one cheap query per moderator every
// 5 s needs no push channel.
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { createApi, Unauthorized } from './api.js';
import { createCognitoSignIn } from './cognito-sign-in.js';
import { Detail, DECISIONS, REASON_TEMPLATES, canModerate } from './detail.js';
import { html } from './html.js';
import { ItemText } from './text.js';

const POLL_MS = 5000;
const TOKEN_KEY = 'openim-hooks.token';
const VIEWS = [
  { view: 'pending', label: 'Pending', params: () => ({ state: 'pending' }) },
  { view: 'mine', label: 'Mine', params: (me) => ({ state: 'claimed', claimedBy: me.name }) },
  { view: 'claimed', label: 'All claimed', params: () => ({ state: 'claimed' }) },
  { view: 'decided', label: 'Decided', params: () => ({ state: 'decided' }) },
];
const KEYS = [
  ['j / k', 'next / previous item'],
  ['c', 'claim the item'],
  ...DECISIONS.map((d) => [d.key, d.label]),
  ['?', 'show or hide this help'],
  ['Esc', 'close this help'],
];

const time = (iso) => (iso ? new Date(iso).toLocaleString() : '');

function SignIn({ onToken, error }) {
  const [value, setValue] = useState('');
  const submit = (event) => {
    event.preventDefault();
    if (value.trim()) onToken(value.trim());
  };
  return html`<main class="sign-in-page"><form class="sign-in" onSubmit=${submit}>
    <h1>Moderation console</h1>
    <label>Your token <input id="token" type="password" autocomplete="off" value=${value} onInput=${(e) => setValue(e.target.value)} /></label>
    <button type="submit">Sign in</button>
    ${error && html`<p class="error" role="alert">${error}</p>`}
  </form></main>`;
}

function CognitoSignIn({ onStart, error }) {
  return html`<main class="sign-in-page"><div class="sign-in">
    <h1>Moderation console</h1>
    <p>Sign in with your moderator account. Your role comes from your group (admins, moderators or triage).</p>
    <button id="cognito-sign-in" type="button" onClick=${onStart}>Sign in</button>
    ${error && html`<p class="error" role="alert">${error}</p>`}
  </div></main>`;
}

function Counts({ counts }) {
  if (!counts) return null;
  return html`<div class="counts" aria-live="polite">
    <span>pending <b data-count="pending">${counts.pending}</b></span>
    <span>claimed <b data-count="claimed">${counts.claimed}</b></span>
    <span>decided (24 h) <b data-count="decided">${counts.decided}</b></span>
  </div>`;
}

function QueueEntry({ item, view }) {
  const badges = [
    item.source === 'report' && html`<span class="badge report">reported ×${item.reports?.count ?? 0}</span>`,
    item.source === 'flag' && item.reports && html`<span class="badge report">+${item.reports.count} reports</span>`,
    item.source === 'appeal' && html`<span class="badge appeal">appeal</span>`,
    item.escalation && html`<span class="badge escalated">escalated</span>`,
    item.lastFailure && html`<span class="badge failed">failed</span>`,
  ];
  const status =
    view === 'decided'
      ? html`<div class="meta"><b>${item.decision}</b> by ${item.decidedBy} · ${time(item.decidedAt)}</div>`
      : item.state === 'claimed'
        ? html`<div class="meta">claimed by <b>${item.claimedBy}</b> since ${time(item.claimedAt)}</div>`
        : null;
  return html`<div class="meta"><b>${item.message.senderNickname || '(no nickname)'}</b> <code class="user-id">${item.message.sendID}</code> · ${item.message.groupID ? `group ${item.message.groupID}` : 'single chat'} · ${time(item.flaggedAt)} ${badges}</div>
    ${status}
    <${ItemText} item=${item} />`;
}

function Queue({ items, view, selected, onSelect, checked, onCheck }) {
  if (items.length === 0) return html`<p class="empty queue-empty">Nothing here.</p>`;
  return html`<ol class="queue" aria-label="Review items">
    ${items.map(
      (item) => html`<li key=${item.itemId} data-item=${item.itemId} class=${item.itemId === selected ? 'selected' : ''}>
        ${view !== 'decided' && html`<input type="checkbox" class="pick" aria-label=${`select ${item.itemId}`} checked=${checked.has(item.itemId)} onChange=${() => onCheck(item.itemId)} />`}
        <button class="open-item" aria-current=${item.itemId === selected ? 'true' : undefined} onClick=${() => onSelect(item.itemId)}><${QueueEntry} item=${item} view=${view} /></button>
      </li>`,
    )}
  </ol>`;
}

function Filters({ filters, onChange }) {
  const field = (name, label) =>
    html`<label>${label} <input name=${name} value=${filters[name] ?? ''} onChange=${(e) => onChange({ ...filters, [name]: e.target.value.trim() })} /></label>`;
  return html`<form class="filters" onSubmit=${(e) => e.preventDefault()}>${field('groupID', 'Group')}${field('userID', 'User ID')}${field('term', 'Term')}</form>`;
}

function BulkBar({ api, me, selectedIds, onDone }) {
  const [decision, setDecision] = useState('approved');
  const [outcome, setOutcome] = useState(null);
  if (selectedIds.length === 0 || !canModerate(me)) return null;
  const run = async () => {
    if (!window.confirm(`${decision} ${selectedIds.length} item(s) with the reason “${REASON_TEMPLATES[decision][0]}”?`)) return;
    const failed = [];
    for (const itemId of selectedIds) {
      try {
        const { item } = await api.item(itemId);
        if (item.state === 'pending') await api.claim(itemId);
        await api.decide(itemId, decision, REASON_TEMPLATES[decision][0]);
      } catch (error) {
        failed.push(`${itemId}: ${error.message}`);
      }
    }
    setOutcome(failed.length === 0 ? `${selectedIds.length} decided` : `${selectedIds.length - failed.length} decided; failed: ${failed.join('; ')}`);
    onDone();
  };
  return html`<div class="bulk" role="region" aria-label="Bulk decision">
    <span>${selectedIds.length} selected</span>
    <label>Decision <select id="bulk-decision" value=${decision} onChange=${(e) => setDecision(e.target.value)}>
      ${DECISIONS.map((d) => html`<option value=${d.decision}>${d.label}</option>`)}
    </select></label>
    <button id="bulk-run" class=${decision === 'approved' ? 'safe' : 'danger'} onClick=${run}>Decide selected…</button>
    ${outcome && html`<span role="status">${outcome}</span>`}
  </div>`;
}

function Stats({ stats }) {
  if (!stats) return null;
  const seconds = (value) => (value === null ? '–' : value < 120 ? `${Math.round(value)} s` : `${Math.round(value / 60)} min`);
  return html`<details class="stats"><summary>Review stats (${stats.windowDays} days)</summary>
    <p>Time to first claim: p50 ${seconds(stats.timeToClaim.p50Seconds)}, p90 ${seconds(stats.timeToClaim.p90Seconds)} ·
      to decision: p50 ${seconds(stats.timeToDecision.p50Seconds)}, p90 ${seconds(stats.timeToDecision.p90Seconds)}</p>
    <table><thead><tr><th scope="col">Moderator</th><th scope="col">Day</th><th scope="col">Decisions</th></tr></thead>
      <tbody>${stats.decisionsPerModeratorPerDay.map((row) => html`<tr><td>${row.moderator}</td><td>${row.day}</td><td>${row.decisions}</td></tr>`)}</tbody>
    </table>
  </details>`;
}

function Help({ onClose }) {
  return html`<div class="help" role="dialog" aria-modal="true" aria-labelledby="help-title">
    <h2 id="help-title">Keyboard</h2>
    <dl>${KEYS.map(([key, what]) => html`<dt><kbd>${key}</kbd></dt><dd>${what}</dd>`)}</dl>
    <button id="close-help" onClick=${onClose}>Close</button>
  </div>`;
}

function Console({ api, me, onSignOut }) {
  const [view, setView] = useState('pending');
  const [filters, setFilters] = useState({});
  const [counts, setCounts] = useState(null);
  const [stats, setStats] = useState(null);
  const [items, setItems] = useState([]);
  const [selected, setSelected] = useState(null);
  const [checked, setChecked] = useState(new Set());
  const [error, setError] = useState(null);
  const [help, setHelp] = useState(false);
  const onError = useCallback((e) => (e instanceof Unauthorized ? onSignOut(e.message) : setError(e.message)), [onSignOut]);
  const refresh = useCallback(async () => {
    const params = { ...VIEWS.find((v) => v.view === view).params(me), ...filters };
    const [c, page] = await Promise.all([api.counts(), api.items(params)]);
    setCounts(c);
    setItems(page.items);
  }, [api, me, view, filters]);
  useEffect(() => {
    refresh().catch(onError);
    const timer = setInterval(() => refresh().catch(onError), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  useEffect(() => void api.stats().then(setStats, () => setStats(null)), [api, counts?.decided]);

  // After a decision the next item in the list opens, so a moderator can work the queue without the mouse.
  const onDecided = (itemId) => {
    const at = items.findIndex((item) => item.itemId === itemId);
    const next = items.slice(at + 1).find((item) => item.itemId !== itemId) ?? items.slice(0, Math.max(at, 0)).reverse()[0];
    setSelected(next?.itemId ?? null);
    return true;
  };
  const toggle = (itemId) =>
    setChecked((current) => {
      const copy = new Set(current);
      if (!copy.delete(itemId)) copy.add(itemId);
      return copy;
    });

  useEffect(() => {
    const onKey = (event) => {
      if (event.key === 'Escape') setHelp(false);
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
      if (event.key === '?') setHelp((shown) => !shown);
      if (items.length === 0) return;
      const at = items.findIndex((item) => item.itemId === selected);
      if (event.key === 'j') setSelected(items[Math.min(at + 1, items.length - 1)].itemId);
      if (event.key === 'k') setSelected(items[Math.max(at - 1, 0)].itemId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return html`<div class="console">
    <header>
      <h1>Moderation</h1>
      <${Counts} counts=${counts} />
      <span class="who" id="who">${me.name} <small>(${me.role})</small></span>
      <button class="help-button" aria-label="Keyboard help" onClick=${() => setHelp(true)}>?</button>
      <button class="sign-out" onClick=${() => onSignOut()}>Sign out</button>
    </header>
    ${error && html`<p class="error" role="alert" onClick=${() => setError(null)}>${error}</p>`}
    ${help && html`<${Help} onClose=${() => setHelp(false)} />`}
    <main class="panes">
      <section class="list" aria-label="Queue">
        <nav class="views" aria-label="Queue views">
          ${VIEWS.map((v) => html`<button data-view=${v.view} aria-pressed=${view === v.view ? 'true' : 'false'} onClick=${() => (setView(v.view), setChecked(new Set()))}>${v.label}</button>`)}
        </nav>
        <${Filters} filters=${filters} onChange=${setFilters} />
        <${BulkBar} api=${api} me=${me} selectedIds=${[...checked]} onDone=${() => (setChecked(new Set()), refresh().catch(onError))} />
        <${Queue} items=${items} view=${view} selected=${selected} onSelect=${setSelected} checked=${checked} onCheck=${toggle} />
        <${Stats} stats=${stats} />
      </section>
      ${selected
        ? html`<${Detail} key=${selected} api=${api} me=${me} itemId=${selected} onChanged=${() => refresh().catch(onError)} onDecided=${onDecided} onError=${onError} />`
        : html`<p class="hint">Select an item (<kbd>j</kbd>/<kbd>k</kbd>; <kbd>?</kbd> for every key).</p>`}
    </main>
  </div>`;
}

/** A pasted token, kept for the tab. */
function tokenAuth(token) {
  return { bearer: async () => token };
}

function App() {
  const [config, setConfig] = useState(null);
  const [auth, setAuth] = useState(null);
  const [me, setMe] = useState(null);
  const [error, setError] = useState(null);
  const cognito = useMemo(() => (config?.mode === 'cognito' ? createCognitoSignIn(config) : null), [config]);
  useEffect(() => {
    fetch('./config.json')
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`config.json answered ${response.status}`))))
      .then(setConfig, (e) => setError(`The console cannot start: ${e.message}.`));
  }, []);
  useEffect(() => {
    if (config?.mode === 'token') {
      const token = sessionStorage.getItem(TOKEN_KEY);
      if (token) setAuth(tokenAuth(token));
    }
    if (cognito) cognito.complete().then((signedIn) => signedIn && setAuth(cognito), (e) => setError(e.message));
  }, [config, cognito]);
  // With a reason (the API refused us): back to the sign-in page saying why. Without one (the
  // button): with Cognito, also out of the hosted UI's session.
  const signOut = useCallback(
    (reason) => {
      sessionStorage.removeItem(TOKEN_KEY);
      if (cognito && reason === undefined) return void cognito.signOut();
      cognito?.forget();
      setAuth(null);
      setMe(null);
      setError(reason ?? null);
    },
    [cognito],
  );
  const api = useMemo(() => auth && createApi(auth), [auth]);
  useEffect(() => {
    if (api) api.me().then(setMe, (e) => signOut(e instanceof Unauthorized ? (cognito ? e.message : 'That token was refused.') : e.message));
  }, [api]);
  const signIn = (candidate) => {
    sessionStorage.setItem(TOKEN_KEY, candidate);
    setError(null);
    setAuth(tokenAuth(candidate));
  };
  if (!config) return html`<main class="sign-in-page" aria-busy=${error ? 'false' : 'true'}>${error ? html`<p class="error" role="alert">${error}</p>` : 'Loading…'}</main>`;
  if (!auth) return cognito ? html`<${CognitoSignIn} onStart=${() => cognito.start()} error=${error} />` : html`<${SignIn} onToken=${signIn} error=${error} />`;
  if (!me) return html`<main class="sign-in-page" aria-busy="true">Signing in…</main>`;
  return html`<${Console} api=${api} me=${me} onSignOut=${signOut} />`;
}

render(html`<${App} />`, document.getElementById('app'));
