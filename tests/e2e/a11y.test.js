// Accessibility over the real built book (build/site/, or SCALEBOOK_SITE=DIR):
//   - axe-core on every page, after every widget on it has started, with each widget's
//     DOM controls and share panel open: zero serious or critical violations (every
//     default rule, plus WCAG 2.2 target size for the widgets' controls);
//   - a full keyboard walk through one chapter with Tab: every visible interactive
//     control is reached, and the focused element always shows a focus indicator
//     (computed outline or box-shadow is not none);
//   - a keyboard walk through one widget of each type (hello, rate-limiter, sharding,
//     fanout) on the book's pages: Tab enters the widget, opens its controls and share
//     panel with Enter, reaches every visible control in it, each with a focus indicator
//     and an accessible name of its own, and leaves it.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, serve, launch, startWidgets } = require('./lib');

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

// Light theme: every axe rule (plus WCAG 2.2 target size, also per widget). Dark theme: only color
// contrast changes, so only that rule runs (it is the slow one), on the same page switched
// to the dark system theme (the book follows it live; a page that does not is loaded again
// dark), so its widgets start once; print.html concatenates the chapter pages already
// checked one by one, so its contrast runs are skipped to keep the sweep fast (every other
// rule still runs on it: ids, landmarks and ARIA are page-specific).
async function axeRun(page, rel, theme) {
  // Fixed and sticky bars cover different content at each scroll position; the top is the
  // one position that is the same on every run (target-size counts covered parts).
  await page.evaluate(() => window.scrollTo(0, 0));
  const only = theme === 'dark' ? ['color-contrast'] : null;
  const skip = Object.assign({ 'target-size': { enabled: true } }, rel === 'print.html' ? { 'color-contrast': { enabled: false } } : {});
  return page.evaluate(async ([only, skip]) => {
    const r = await window.axe.run(document, only ? { resultTypes: ['violations'], runOnly: { type: 'rule', values: only } }
      : { resultTypes: ['violations'], rules: skip });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${(n.failureSummary || '').split('\n').slice(1, 2).join('').trim()}`),
      count: v.nodes.length
    }));
  }, [only, skip]);
}

// Loads the page and audits its widgets as a reader meets them: every one started (canvas,
// live region, presets, DOM controls), with its Controls and Share panel open.
async function loadWithWidgets(page, rel, theme) {
  await page.goto(`${server.url}/${rel}${PAGE_QUERY[rel] || ''}`, { waitUntil: 'load' });
  const widgets = await startWidgets(page);
  const opened = await page.evaluate(() => Array.from(document.querySelectorAll('scalebook-widget')).map((w) => {
    w.scalebook.share();
    return { error: w.scalebook.error(), open: !!w.querySelector('details.sbw-controls[open] .sbw-share:not([hidden]) textarea') };
  }));
  const notOpen = opened.filter((o) => !o.open);
  if (notOpen.length) throw new Error(`${rel} (${theme}): ${notOpen.length} of ${widgets} widgets did not start with their controls: ` +
    notOpen.map((o) => o.error || 'no controls').join('; '));
  await page.addScriptTag({ path: AXE });
  return widgets;
}

// WCAG 2.2 target size (2.5.8) of each widget's controls. axe measures only what is in the
// viewport, and the controls of a widget are taller than a screen: the viewport is made tall
// enough for the whole widget, centred in it (clear of the sticky top bar), one at a time.
async function widgetTargetSizes(page) {
  const n = await page.locator('scalebook-widget').count();
  const found = [];
  const size = page.viewportSize();
  for (let k = 0; k < n; k++) {
    const h = await page.evaluate((k) => document.querySelectorAll('scalebook-widget')[k].getBoundingClientRect().height, k);
    await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(h) + 400) });
    found.push(...await page.evaluate(async (k) => {
      const w = document.querySelectorAll('scalebook-widget')[k];
      w.scrollIntoView({ block: 'center' });
      const r = await window.axe.run({ include: [w] }, { resultTypes: ['violations'], runOnly: { type: 'rule', values: ['target-size'] } });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({
        id: v.id, impact: v.impact, help: `${v.help} (widget ${k})`,
        nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${(n.failureSummary || '').split('\n').slice(1, 2).join('').trim()}`),
        count: v.nodes.length
      }));
    }, k));
  }
  await page.setViewportSize(size);
  return found;
}

const isDarkNow = () => document.documentElement.getAttribute('data-theme') === 'dark' &&
  Array.from(document.querySelectorAll('scalebook-widget')).every((w) => w.getAttribute('data-sbw-theme') === 'dark');

async function axePage(rel) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  try {
    const widgets = await loadWithWidgets(page, rel, 'light');
    const out = [{ rel, theme: 'light', widgets, violations: [...await axeRun(page, rel, 'light'), ...await widgetTargetSizes(page)] }];
    if (rel === 'print.html') return out;
    await page.emulateMedia({ colorScheme: 'dark' });
    const live = await page.waitForFunction(() => document.documentElement.getAttribute('data-theme') === 'dark', null, { timeout: 5000 })
      .then(() => true, () => false);
    if (live) await page.waitForFunction(isDarkNow, null, { timeout: 10000 }); // the widgets follow <html data-theme>
    let darkWidgets = 0;
    if (!live) { // this page chose its theme once, at load
      darkWidgets = await loadWithWidgets(page, rel, 'dark');
      await page.waitForFunction(isDarkNow, null, { timeout: 10000 });
    }
    // No colour mid-transition.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 10000 });
    out.push({ rel, theme: live ? 'dark' : 'dark, reloaded', widgets: darkWidgets, violations: await axeRun(page, rel, 'dark') });
    return out;
  } finally {
    await context.close();
  }
}

test('axe-core: no serious or critical violations on any page (light: all rules; dark: contrast)', async (t) => {
  assert.ok(pages.length >= 3, `expected the built book in ${SITE} (run tools/build)`);
  const started = Date.now();
  const results = (await pool(pages, POOL, axePage)).flat();
  t.diagnostic(`axe: ${results.length} page×theme runs (${results.reduce((n, r) => n + r.widgets, 0)} widgets started; ` +
    `${results.filter((r) => r.theme === 'dark, reloaded').length} pages loaded again for dark) in ${Date.now() - started} ms`);
  assert.equal(results.length, pages.length * 2 - (pages.includes('print.html') ? 1 : 0));
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

// One widget of each type, walked with the keyboard on a page of the book. The pages are
// chosen to need as few loads as possible (a page with several types walks each of them).
const WIDGET_TYPES = ['hello', 'rate-limiter', 'sharding', 'fanout'];
function widgetWalkPlan() {
  const chapters = pages.filter((p) => p !== 'print.html' && !p.includes('/')).map((rel) => ({ rel,
    names: [...fs.readFileSync(path.join(SITE, rel), 'utf8').matchAll(/<scalebook-widget name="([^"]+)"/g)].map((m) => m[1]) }));
  const plan = [];
  const left = new Set(WIDGET_TYPES);
  while (left.size) {
    let best = null;
    for (const c of chapters) {
      const types = [...new Set(c.names)].filter((n) => left.has(n));
      if (types.length && (!best || types.length > best.types.length)) best = { rel: c.rel, types };
    }
    if (!best) break;
    plan.push({ rel: best.rel, walks: best.types.map((type) => ({ type, index: chapters.find((c) => c.rel === best.rel).names.indexOf(type) })) });
    best.types.forEach((n) => left.delete(n));
  }
  return { plan, missing: [...left] };
}

// Tab from just before widget k until focus leaves it. Enter on the Controls summary and
// on Share opens them, as a reader would. Returns what was expected, reached and how each
// stop looked.
async function walkWidget(page, k) {
  await page.evaluate((k) => {
    const w = document.querySelectorAll('scalebook-widget')[k];
    const start = document.createElement('span'); // where the reader's focus is before the widget
    start.tabIndex = -1;
    start.id = 'kbd-walk-start';
    w.before(start);
    start.focus();
    window.__kbdReached = new Set();
  }, k);
  const stops = [];
  let entered = false;
  const cdp = await page.context().newCDPSession(page);
  // The focused element's role and accessible name, as the browser gives them to a screen reader.
  const focusedName = async () => {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'document.activeElement' });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { objectId: result.objectId, fetchRelatives: false });
    const value = (p) => (nodes[0] && nodes[0][p] && typeof nodes[0][p].value === 'string' ? nodes[0][p].value.trim() : '');
    return { role: value('role'), name: value('name') };
  };
  for (let steps = 0; steps < 400; steps++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate((k) => {
      const w = document.querySelectorAll('scalebook-widget')[k];
      const e = document.activeElement;
      if (!e || !w.contains(e)) return { inside: false, desc: e ? e.outerHTML.slice(0, 80) : null };
      const again = window.__kbdReached.has(e);
      window.__kbdReached.add(e);
      e.scrollIntoView({ block: 'nearest' });
      const s = getComputedStyle(e);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      const shadow = s.boxShadow && s.boxShadow !== 'none';
      const details = e.closest('details');
      const action = e.tagName === 'SUMMARY' && details && !details.open ? 'open'
        : e.tagName === 'BUTTON' && e.getAttribute('aria-expanded') === 'false' ? 'open' : null;
      return { inside: true, again, action, desc: e.outerHTML.slice(0, 100), visible: !!(outline || shadow),
        style: `outline: ${s.outlineStyle} ${s.outlineWidth}; box-shadow: ${s.boxShadow}` };
    }, k);
    if (!f.inside) { if (entered) break; continue; }
    entered = true;
    if (f.again) { stops.push({ ...f, stuck: true }); break; } // Tab did not move on (a trap)
    Object.assign(f, await focusedName());
    stops.push(f);
    if (f.action === 'open') await page.keyboard.press('Enter');
  }
  const missed = await page.evaluate((k) => {
    const w = document.querySelectorAll('scalebook-widget')[k];
    const sel = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]';
    const visible = (e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[hidden], [inert], [aria-hidden="true"]');
    };
    const expected = Array.from(w.querySelectorAll(sel)).filter((e) => e.tabIndex >= 0 && !e.disabled && visible(e)
      && !(e.closest('details:not([open])') && e.tagName !== 'SUMMARY'));
    document.getElementById('kbd-walk-start').remove();
    return { count: expected.length, missed: expected.filter((e) => !window.__kbdReached.has(e)).map((e) => e.outerHTML.slice(0, 100)),
      share: !!w.querySelector('.sbw-share:not([hidden]) textarea'), open: !!w.querySelector('details.sbw-controls[open]') };
  }, k);
  await cdp.detach();
  return { stops, ...missed };
}

test('keyboard: Tab through one widget of each type reaches every control in it, each with a focus indicator', async (t) => {
  const { plan, missing } = widgetWalkPlan();
  assert.deepEqual(missing, [], `no page of the book in ${SITE} has a widget of these types`);
  const started = Date.now();
  for (const { rel, walks } of plan) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/${rel}`, { waitUntil: 'load' });
      await startWidgets(page);
      for (const { type, index } of walks) {
        assert.equal(await page.evaluate((k) => document.querySelectorAll('scalebook-widget')[k].scalebook.error(), index), null,
          `${rel}: the ${type} widget started`);
        const r = await walkWidget(page, index);
        const where = `${rel}, widget ${index} (${type})`;
        t.diagnostic(`${where}: ${r.count} controls, ${r.stops.length} Tab stops`);
        const stuck = r.stops.filter((s) => s.stuck);
        assert.deepEqual(stuck.map((s) => s.desc), [], `${where}: Tab stopped moving (focus trapped)`);
        assert.ok(r.open && r.share, `${where}: Enter opened the controls (${r.open}) and the share panel (${r.share})`);
        assert.ok(r.count >= 10, `${where}: the widget's DOM controls are there (${r.count} controls)`);
        assert.ok(r.missed.length === 0, `${where}: ${r.missed.length} of ${r.count} controls never got focus with Tab:\n` +
          r.missed.slice(0, 20).map((m) => `  - ${m}`).join('\n'));
        // Every stop has a name, and no two controls of the same role in the widget sound the same.
        const unnamed = r.stops.filter((s) => !s.name);
        assert.deepEqual(unnamed.map((s) => s.desc), [], `${where}: controls without an accessible name`);
        const seen = new Map();
        for (const s of r.stops) seen.set(`${s.role} "${s.name}"`, (seen.get(`${s.role} "${s.name}"`) || 0) + 1);
        const twice = [...seen].filter(([, n]) => n > 1).map(([what, n]) => `${what} ×${n}`);
        assert.deepEqual(twice, [], `${where}: controls of one role sharing one accessible name`);
        const invisible = r.stops.filter((s) => !s.visible);
        assert.ok(invisible.length === 0, `${where}: ${invisible.length} focus stops without a visible indicator:\n` +
          invisible.slice(0, 20).map((s) => `  - ${s.desc} (${s.style})`).join('\n'));
      }
    } finally {
      await context.close();
    }
  }
  t.diagnostic(`widget keyboard walks in ${Date.now() - started} ms`);
});
