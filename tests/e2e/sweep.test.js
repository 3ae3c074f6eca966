// Browser sweep over EVERY page of the real built book (build/site/, written by
// tools/build before the tests run), served over http and opened from file://:
//   - no console errors, page errors, failed requests (incl. HTTP >= 400) or
//     requests leaving the site;
//   - every <scalebook-widget> draws non-blank pixels and its model advances
//     (element.scalebook.state().sim_time_us grows) once scrolled into view;
//   - a phone viewport (375×812) has no horizontal scroll.
// Plus the embed test: a foreign page with its own inputs, CSS and long content
// that includes only the loader script and one <scalebook-widget>.
// One browser for the whole file; pages run in a small pool (SwiftShader is slow).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { ROOT, serve, launch, canvasStats } = require('./lib');

const SITE = process.env.SCALEBOOK_SITE ? path.resolve(process.env.SCALEBOOK_SITE) : path.join(ROOT, 'build', 'site');
const POOL = 3;
const PHONE = { width: 375, height: 812 };
// Pages that need a query to be meaningful: the standalone iframe embed page names its widget in the URL.
const PAGE_QUERY = { 'assets/embed.html': '?w=hello&waves=3' };

// Every .html page of the built book, relative to SITE, sorted.
function listPages(dir, rel = '') {
  let out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out = out.concat(listPages(dir, r));
    else if (e.name.endsWith('.html')) out.push(r);
  }
  return out.sort();
}

// Opens `url` in a fresh context and records every problem. `siteBase` is the
// URL prefix every request must start with (the site's origin or folder).
async function openPage(browser, url, siteBase, viewport) {
  const context = await browser.newContext({ viewport, reducedMotion: 'no-preference' });
  const page = await context.newPage();
  const problems = [];
  let recording = true;
  const note = (s) => { if (recording) problems.push(s); };
  page.on('console', (m) => { if (m.type() === 'error') note(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => note(`page error: ${e.message}`));
  page.on('requestfailed', (r) => note(`request failed: ${r.url()} (${r.failure() && r.failure().errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) note(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => {
    const u = r.url();
    if (!(u.startsWith(siteBase) || u.startsWith('data:') || u.startsWith('blob:'))) note(`request outside the site: ${u}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems, close: async () => { recording = false; await context.close(); } };
}

// Checks every widget on the page: scrolled into view it starts, draws, advances.
async function checkWidgets(page, failures) {
  const count = await page.$$eval('scalebook-widget', (ws) => ws.length);
  for (let i = 0; i < count; i++) {
    const el = page.locator('scalebook-widget').nth(i);
    const name = await el.getAttribute('name');
    const label = `widget #${i} "${name}"`;
    await el.scrollIntoViewIfNeeded();
    try {
      await page.waitForFunction((k) => {
        const w = document.querySelectorAll('scalebook-widget')[k];
        return w.scalebook && (w.scalebook.error() || (w.scalebook.ready() && w.scalebook.frames() >= 2));
      }, i, { timeout: 60000, polling: 100 });
    } catch (e) { failures.push(`${label}: never started or drew 2 frames within 60 s`); continue; }
    const err = await el.evaluate((w) => w.scalebook.error());
    if (err) { failures.push(`${label}: shows error "${err}"`); continue; }
    const s0 = await el.evaluate((w) => w.scalebook.state());
    try {
      await page.waitForFunction(([k, t]) => {
        const s = document.querySelectorAll('scalebook-widget')[k].scalebook.state();
        return s && s.sim_time_us > t;
      }, [i, s0.sim_time_us], { timeout: 15000, polling: 100 });
    } catch (e) { failures.push(`${label}: model did not advance (sim_time_us stayed ${s0.sim_time_us})`); }
    const stats = await page.evaluate((k) => {
      // canvasStats takes a selector: tag the element so nth widgets are addressable.
      document.querySelectorAll('scalebook-widget')[k].setAttribute('data-sweep', String(k));
    }, i).then(() => canvasStats(page, `scalebook-widget[data-sweep="${i}"]`));
    if (!(stats.differing > stats.total * 0.02)) failures.push(`${label}: blank canvas (${stats.differing}/${stats.total} pixels differ from the background)`);
  }
  return count;
}

async function sweepPage(browser, mode, base, rel) {
  const url = (mode === 'http' ? `${base}/${rel}` : pathToFileURL(path.join(SITE, rel)).href) + (PAGE_QUERY[rel] || '');
  const siteBase = mode === 'http' ? `${base}/` : pathToFileURL(SITE).href + '/';
  const { page, problems, close } = await openPage(browser, url, siteBase, { width: 1100, height: 900 });
  const failures = [];
  const t0 = Date.now();
  let widgets = 0;
  try {
    widgets = await checkWidgets(page, failures);
    await page.setViewportSize(PHONE);
    await page.evaluate(() => window.scrollTo(0, 0));
    const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
      wide: Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '')) }));
    if (w.scroll > w.inner) failures.push(`phone ${PHONE.width}×${PHONE.height}: horizontal scroll (scrollWidth ${w.scroll} > ${w.inner}; wide: ${w.wide.join(', ')})`);
    await page.waitForTimeout(50); // late console errors from the resize
  } finally {
    failures.push(...problems);
    await close();
  }
  return { rel, mode, widgets, failures, ms: Date.now() - t0 };
}

async function pool(items, n, fn) {
  const results = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) { const k = next++; results[k] = await fn(items[k]); }
  }));
  return results;
}

let browser;
let server;
test.before(async () => { browser = await launch(); server = await serve(SITE); });
test.after(async () => { if (browser) await browser.close(); if (server) await server.close(); });

// Pages with widgets first: they are the slow ones, so they overlap with the rest.
const hasWidget = (rel) => fs.readFileSync(path.join(SITE, rel), 'utf8').includes('<scalebook-widget');
const pages = fs.existsSync(SITE) ? listPages(SITE).sort((a, b) => hasWidget(b) - hasWidget(a)) : [];

test('the built book exists and has pages with widgets', () => {
  assert.ok(pages.length >= 3, `expected the built book in ${SITE} (run tools/build); found ${pages.length} pages`);
  const withWidgets = pages.filter(hasWidget);
  assert.ok(withWidgets.length >= 1, 'no page of the book has a <scalebook-widget>');
});

for (const mode of ['http', 'file']) {
  test(`sweep over every page (${mode}): no errors, widgets draw and advance, no phone horizontal scroll`, async (t) => {
    const started = Date.now();
    const results = await pool(pages, POOL, (rel) => sweepPage(browser, mode, server.url, rel));
    const bad = results.filter((r) => r.failures.length);
    const widgets = results.reduce((a, r) => a + r.widgets, 0);
    t.diagnostic(`${mode}: ${results.length} pages, ${widgets} widgets, ${Date.now() - started} ms; slowest: ` +
      results.slice().sort((a, b) => b.ms - a.ms).slice(0, 4).map((r) => `${r.rel} ${r.ms} ms`).join(', '));
    assert.ok(bad.length === 0, `${bad.length} of ${results.length} pages failed (${mode}):\n` +
      bad.map((r) => `  ${r.rel}:\n` + r.failures.map((f) => `    - ${f}`).join('\n')).join('\n'));
  });
}

// The embed snippet on a foreign page: a copy of tests/e2e/fixtures/foreign/ with the
// site's assets next to it (as a blogger would upload them), served on its own origin.
test('embed: a foreign page with only the loader script and one element works', async () => {
  const dir = path.join(ROOT, 'build', 'e2e', 'foreign');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.copyFileSync(path.join(__dirname, 'fixtures', 'foreign', 'index.html'), path.join(dir, 'index.html'));
  for (const f of fs.readdirSync(path.join(SITE, 'assets')))
    if (/^scalebook/.test(f)) fs.copyFileSync(path.join(SITE, 'assets', f), path.join(dir, 'assets', f));
  const foreign = await serve(dir);
  const { page, problems, close } = await openPage(browser, `${foreign.url}/index.html`, `${foreign.url}/`, { width: 1000, height: 700 });
  try {
    const failures = [];
    const el = page.locator('scalebook-widget');
    assert.equal(await el.count(), 1);
    await el.scrollIntoViewIfNeeded();
    assert.equal(await checkWidgets(page, failures), 1);
    assert.deepEqual(failures, []);
    // The page's own input gets every typed character, also after the reader used the widget.
    const box = await el.locator('canvas').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const text = 'Hello, world! <b>&amp; 42 Tab?';
    await page.click('#foreign-input');
    await page.keyboard.type(text);
    await page.keyboard.press('Backspace');
    assert.equal(await page.inputValue('#foreign-input'), text.slice(0, -1));
    await page.click('#foreign-textarea');
    await page.keyboard.type('line one');
    await page.keyboard.press('Enter');
    await page.keyboard.type('line two');
    assert.equal(await page.inputValue('#foreign-textarea'), 'line one\nline two');
    // The page scrolls with the wheel (over the page's own text) and the keyboard.
    await page.evaluate(() => window.scrollTo(0, 0));
    const intro = await page.locator('#foreign-intro').boundingBox();
    await page.mouse.move(intro.x + 10, intro.y + 5);
    await page.mouse.wheel(0, 600);
    await page.waitForFunction(() => window.scrollY > 0, null, { timeout: 5000 });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    assert.ok(await page.evaluate(() => window.scrollY > window.innerHeight), 'the long foreign page did not scroll');
    // The foreign page's CSS did not leak into our widget: it kept a sane size.
    const size = await el.evaluate((w) => { const r = w.getBoundingClientRect(); return { w: r.width, h: r.height }; });
    assert.ok(size.w > 200 && size.h > 100, `widget box collapsed under foreign CSS: ${JSON.stringify(size)}`);
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await foreign.close();
  }
});
