// Accessibility over the real built book (build/site/):
//   - axe-core on every page: zero serious or critical violations;
//   - a full keyboard walk through one chapter with Tab: every visible interactive
//     control is reached, and the focused element always shows a focus indicator
//     (computed outline or box-shadow is not none).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, serve, launch } = require('./lib');

const SITE = process.env.SCALEBOOK_SITE ? path.resolve(process.env.SCALEBOOK_SITE) : path.join(ROOT, 'build', 'site');
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const POOL = 2;
// The chapter walked with the keyboard: the first page of the book with a widget.
// Every .html page, also in subfolders (assets/embed.html, the iframe embed page, needs its widget named).
const PAGE_QUERY = { 'assets/embed.html': '?w=hello&waves=3' };
const listPages = (rel = '') => fs.readdirSync(path.join(SITE, rel), { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? listPages(rel ? `${rel}/${e.name}` : e.name) : e.name.endsWith('.html') ? [rel ? `${rel}/${e.name}` : e.name] : []);
const pages = fs.existsSync(SITE) ? listPages().sort() : [];
const walkPage = pages.find((p) => p !== 'print.html' && !p.includes('/') && fs.readFileSync(path.join(SITE, p), 'utf8').includes('<scalebook-widget'))
  || 'index.html';

let browser;
let server;
test.before(async () => { browser = await launch(); server = await serve(SITE); });
test.after(async () => { if (browser) await browser.close(); if (server) await server.close(); });

async function pool(items, n, fn) {
  const results = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) { const k = next++; results[k] = await fn(items[k]); }
  }));
  return results;
}

// Light theme: every axe rule. Dark theme: only color contrast changes, so only that
// rule runs (it is the slow one); print.html concatenates the chapter pages already
// checked one by one, so its contrast runs are skipped to keep the sweep fast (every
// other rule still runs on it: ids, landmarks and ARIA are page-specific).
async function axePage(rel, theme) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: theme });
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/${rel}${PAGE_QUERY[rel] || ''}`, { waitUntil: 'load' });
    await page.addScriptTag({ path: AXE });
    const only = theme === 'dark' ? ['color-contrast'] : null;
    const skip = rel === 'print.html' ? { 'color-contrast': { enabled: false } } : {};
    const violations = await page.evaluate(async ([only, skip]) => {
      const r = await window.axe.run(document, only ? { resultTypes: ['violations'], runOnly: { type: 'rule', values: only } }
        : { resultTypes: ['violations'], rules: skip });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${(n.failureSummary || '').split('\n').slice(1, 2).join('').trim()}`),
        count: v.nodes.length
      }));
    }, [only, skip]);
    return { rel, theme, violations };
  } finally {
    await context.close();
  }
}

test('axe-core: no serious or critical violations on any page (light: all rules; dark: contrast)', async (t) => {
  assert.ok(pages.length >= 3, `expected the built book in ${SITE} (run tools/build)`);
  const started = Date.now();
  const jobs = [];
  for (const rel of pages) for (const theme of ['light', 'dark']) if (!(theme === 'dark' && rel === 'print.html')) jobs.push([rel, theme]);
  const results = await pool(jobs, POOL, ([rel, theme]) => axePage(rel, theme));
  t.diagnostic(`axe: ${results.length} page×theme runs in ${Date.now() - started} ms`);
  const bad = results.filter((r) => r.violations.length);
  assert.ok(bad.length === 0, `serious/critical axe violations on ${bad.length} page×theme runs:\n` + bad.map((r) =>
    `  ${r.rel} (${r.theme}):\n` + r.violations.map((v) => `    - [${v.impact}] ${v.id}: ${v.help} (${v.count} nodes)\n` +
      v.nodes.map((n) => `        ${n}`).join('\n')).join('\n')).join('\n'));
});

test(`keyboard: Tab reaches every control of ${walkPage} with a visible focus indicator`, async (t) => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/${walkPage}`, { waitUntil: 'load' });
    // Start every widget (they start lazily near the viewport) so their DOM controls exist.
    const n = await page.locator('scalebook-widget').count();
    for (let i = 0; i < n; i++) {
      await page.locator('scalebook-widget').nth(i).scrollIntoViewIfNeeded();
      await page.waitForFunction((k) => {
        const w = document.querySelectorAll('scalebook-widget')[k];
        return w.scalebook && (w.scalebook.ready() || w.scalebook.error());
      }, i, { timeout: 30000 });
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    // Every visible, enabled, tabbable control, tagged with an index.
    const expected = await page.evaluate(() => {
      const sel = 'a[href], button, input, select, textarea, summary, [tabindex], canvas[tabindex], [contenteditable="true"]';
      const visible = (e) => {
        const r = e.getBoundingClientRect();
        const s = getComputedStyle(e);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('[hidden], [inert], [aria-hidden="true"]');
      };
      const list = Array.from(document.querySelectorAll(sel)).filter((e) => e.tabIndex >= 0 && !e.disabled && visible(e)
        && !(e.closest('details:not([open])') && e.tagName !== 'SUMMARY'));
      list.forEach((e, k) => e.setAttribute('data-kbd', String(k)));
      return list.map((e) => e.outerHTML.slice(0, 100));
    });
    const reached = new Set();
    const invisible = [];
    const maxSteps = expected.length * 2 + 20;
    let steps = 0;
    let last = null;
    for (; steps < maxSteps; steps++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        e.scrollIntoView({ block: 'nearest' }); // the reader would see it
        const s = getComputedStyle(e);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
        const shadow = s.boxShadow && s.boxShadow !== 'none';
        // A skip link or similar may show focus through a visible move on screen; outline/shadow is the rule here.
        return { k: e.getAttribute('data-kbd'), desc: e.outerHTML.slice(0, 100), visible: outline || shadow,
          style: `outline: ${s.outlineStyle} ${s.outlineWidth}; box-shadow: ${s.boxShadow}` };
      });
      if (!f) { if (reached.size) break; else continue; } // wrapped around to the document
      if (f.k !== null) {
        if (reached.has(f.k) && f.k === last) break;      // focus stuck
        if (reached.has(f.k) && f.k === '0') break;       // wrapped to the first control
        reached.add(f.k);
      }
      last = f.k;
      if (!f.visible) invisible.push(`${f.desc} (${f.style})`);
    }
    const missed = expected.filter((_, k) => !reached.has(String(k)));
    t.diagnostic(`${walkPage}: ${expected.length} controls, ${reached.size} reached in ${steps} Tab presses`);
    assert.ok(missed.length === 0, `${missed.length} of ${expected.length} controls never got focus with Tab:\n` +
      missed.slice(0, 20).map((m) => `  - ${m}`).join('\n'));
    assert.ok(invisible.length === 0, `${invisible.length} focus stops without a visible indicator:\n` +
      invisible.slice(0, 20).map((m) => `  - ${m}`).join('\n'));
  } finally {
    await context.close();
  }
});
