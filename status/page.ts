/**
 * The status page: one HTML document with its CSS and script inline (no framework, no CDN, nothing fetched but
 * GET /v1/status). The script polls the view every POLL_MS and redraws the tables from it with DOM calls (text only,
 * never innerHTML of data). Rows and cells carry data- attributes so a browser test can find them.
 */
import { CAP_WARN_PCT } from './view.js';

export const POLL_MS = 1000;

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#f6f8fa}
h1{font-size:1.3rem;margin:0 0 .3rem}h2{font-size:1.05rem;margin:1.4rem 0 .4rem;font-family:ui-monospace,monospace}
#meta{color:#57606a;margin-bottom:.5rem}#meta span{margin-right:1.2rem}
.bad{color:#b3261e;font-weight:600}.ok{color:#1a7f37}
table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002}
th,td{padding:.35rem .55rem;border-bottom:1px solid #d8dee4;text-align:left;vertical-align:top}
th{background:#eaeef2;font-weight:600;font-size:.85rem}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.attn{background:#fff8e1}tr.err{background:#fdecea}
.bar{height:5px;background:#d8dee4;border-radius:3px;margin-top:3px}.bar>div{height:5px;border-radius:3px;background:#2da44e}
.bar.hi>div{background:#cf222e}.small{font-size:.8rem;color:#57606a}
ul{margin:0;padding:0;list-style:none}li{white-space:nowrap}
.tag{display:inline-block;padding:0 .35rem;border-radius:3px;background:#ddf4ff;font-size:.75rem;margin-right:.25rem}
.tag.cctp{background:#ddf4ff}.tag.ccip{background:#fbefff}.tag.wormhole{background:#fff1e5}
code{font-family:ui-monospace,monospace;font-size:.8rem}
`;

const SCRIPT = `
const POLL_MS = ${POLL_MS};
const $ = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  for (const k of kids) if (k !== undefined && k !== null) e.append(k instanceof Node ? k : String(k));
  return e;
};
const age = (s) => s === null || s === undefined ? '' : s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min' : s < 172800 ? Math.floor(s / 3600) + ' h' : Math.floor(s / 86400) + ' d';
const short = (h) => h ? h.slice(0, 10) + '\u2026' : '';
const COLS = ['Chain', 'NAV (round)', 'NAV age', 'Supply / cap', 'Stage', 'Queue', 'Parked', 'Dead', 'Recent deliveries', 'Attention'];

function row(r) {
  const cls = r.error ? 'err' : r.attention.length ? 'attn' : '';
  const nav = r.nav ? (r.nav.value === null ? 'none (0)' : r.nav.value + ' (' + r.nav.round + ')') : '';
  const navAge = r.nav && r.nav.ageSeconds !== null ? $('span', { class: r.nav.stale ? 'bad' : '' }, age(r.nav.ageSeconds), $('div', { class: 'small' }, 'heartbeat ' + age(r.nav.heartbeatSeconds))) : '';
  let supply = '';
  if (r.supply) {
    const pct = r.supply.usedPct;
    supply = $('div', {}, r.supply.total + ' / ' + r.supply.cap, r.supply.paused ? $('span', { class: 'bad' }, ' paused') : null,
      $('div', { class: 'bar' + (pct !== null && pct >= ${CAP_WARN_PCT} ? ' hi' : '') }, $('div', { style: 'width:' + Math.min(100, pct || 0) + '%' })),
      $('div', { class: 'small' }, pct === null ? 'no cap' : pct + '% of cap'));
  }
  const stage = r.stage ? $('span', { class: r.stage.name === 'C' ? 'bad' : '' }, r.stage.name, r.stage.reason !== 'none' ? $('div', { class: 'small' }, r.stage.reason) : null) : '';
  const q = r.queue;
  const recent = $('ul', {}, ...r.recent.map((d) => $('li', { 'data-attestation-id': d.attestationId, 'data-transport': d.transport },
    $('span', { class: 'tag ' + d.transport }, d.transport), d.kind + ' #' + d.seq + ' ', $('span', { class: 'small' }, age(d.ageSeconds) + ' ago '), $('code', { title: d.txHash || '' }, short(d.txHash)))));
  const attention = r.error ? $('span', { class: 'bad' }, r.error) : $('span', { class: r.attention.length ? 'bad' : 'ok' }, r.attention.length ? r.attention.join(', ') : 'ok');
  const cells = [
    $('td', { 'data-col': 'chain' }, r.name, $('div', { class: 'small' }, r.chainId + ' \u00b7 ' + r.transport)),
    $('td', { 'data-col': 'nav' }, nav),
    $('td', { 'data-col': 'nav-age' }, navAge),
    $('td', { 'data-col': 'supply', 'data-supply-raw': r.supply ? r.supply.totalRaw : '' }, supply),
    $('td', { 'data-col': 'stage' }, stage),
    $('td', { 'data-col': 'queue', class: 'num' }, q ? q.depth : '?', q && q.waiting ? $('div', { class: 'small' }, q.waiting + ' waiting') : null, q && q.blocked ? $('div', { class: 'bad' }, q.blocked) : null),
    $('td', { 'data-col': 'parked', class: 'num' }, q ? q.parked : '?'),
    $('td', { 'data-col': 'dead', class: 'num' + (q && q.dead ? ' bad' : '') }, q ? q.dead : '?'),
    $('td', { 'data-col': 'recent' }, recent),
    $('td', { 'data-col': 'attention' }, attention),
  ];
  return $('tr', { class: cls, 'data-chain-id': r.chainId, 'data-chain': r.name }, ...cells);
}

/** The incident notice the DID owes (oracle): a red line while due, nothing otherwise. */
function notice(n) {
  if (!n) return null;
  if (n.error) return $('div', { class: 'small', 'data-notice': 'unknown' }, 'notice: oracle unreadable (' + n.error + ')');
  if (!n.due) return null;
  return $('div', { class: 'bad', 'data-notice': 'due' }, 'notice due: stage ' + n.stage + (n.required ? ' (' + n.required + ')' : '') + (n.since ? ' since ' + new Date(n.since).toLocaleString() : ''));
}

function render(v) {
  const meta = document.getElementById('meta');
  meta.replaceChildren(
    $('span', { id: 'updated' }, 'updated ' + new Date(v.generatedAt).toLocaleTimeString()),
    $('span', { class: v.relayer.ok ? 'ok' : 'bad' }, 'relayer ' + (v.relayer.ok ? 'ok, feed cursor ' + v.relayer.cursor : v.relayer.error)),
    v.oracle ? $('span', { class: v.oracle.ok ? 'ok' : 'bad' }, 'oracle ' + (v.oracle.ok ? 'ok, ' + v.oracle.backlog + (v.oracle.backlogCapped ? '+' : '') + ' signed, not yet taken by the relayer' : v.oracle.error)) : null,
  );
  const main = document.getElementById('dids');
  main.replaceChildren(...v.dids.map((d) => $('section', { 'data-did': d.did },
    $('h2', { title: d.didHash }, d.did),
    notice(d.notice),
    $('table', {}, $('thead', {}, $('tr', {}, ...COLS.map((c) => $('th', {}, c)))), $('tbody', {}, ...d.chains.map(row))))));
}

async function poll() {
  try {
    const res = await fetch('/v1/status', { cache: 'no-store' });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    render(await res.json());
    document.getElementById('offline').hidden = true;
  } catch (err) {
    const o = document.getElementById('offline');
    o.textContent = 'status server unreachable (' + err.message + '); retrying';
    o.hidden = false;
  }
  setTimeout(poll, POLL_MS);
}
poll();
`;

export function statusPageHtml(title: string): string {
  const esc = title.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc}</title><style>${CSS}</style></head>
<body><h1>${esc}</h1><div id="meta">loading...</div><div id="offline" class="bad" hidden></div><main id="dids"></main>
<script>${SCRIPT}</script></body></html>
`;
}
