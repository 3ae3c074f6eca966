// Permalinks on the reader's path (issue 19 item 4, issue 18 item 3 "links land"): real
// chapter pages of the built book, whose widgets sit far below the fold (further than
// the loader's lazy-start margin, so nothing starts them but the link). The test never
// scrolls the page it opens a link in: the loader must bring the linked widget into view,
// start it paused at the link's time, and reproduce the run the link was made from
// (same state digest). Also: broken links show their error in the widget they name, in
// view; a hashchange to another widget's permalink reconfigures that widget only.
//
// SCALEBOOK_SITE=DIR tests another build of the book (default build/site/, made by tools/build).
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, serve, launch, open } = require('./lib');

const SITE = process.env.SCALEBOOK_SITE ? path.resolve(process.env.SCALEBOOK_SITE) : path.join(ROOT, 'build', 'site');
const LAZY_MARGIN = 600; // px: the loader starts widgets this close to the viewport (scalebook.js, observers)
const T = 60000;

// Runs fn(element, arg) in the page on its k-th <scalebook-widget>.
const nth = (page, k, fn, arg) => page.locator('scalebook-widget').nth(k).evaluate(fn, arg);
const stateOf = (page, k) => nth(page, k, (w) => w.scalebook.state());
const waitReady = (page, k, timeout = T) => page.waitForFunction((k) => {
  const w = document.querySelectorAll('scalebook-widget')[k];
  return w && w.scalebook && w.scalebook.ready();
}, k, { timeout });
const waitError = (page, k, timeout = T) => page.waitForFunction((k) => {
  const w = document.querySelectorAll('scalebook-widget')[k];
  return w && w.scalebook && w.scalebook.error();
}, k, { timeout });
// Where the widget's box is: in the viewport (below the sticky top bar) or not, and its
// distance from the top of the document.
const placement = (page, k) => nth(page, k, (w) => {
  const r = w.getBoundingClientRect();
  const pad = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
  return { top: r.top, bottom: r.bottom, docTop: r.top + scrollY, scrollY, vh: innerHeight, pad,
    inView: r.height > 0 && r.top >= 0 && r.bottom <= innerHeight };
});

// A run made by a reader on `rel`: widget k started (by scrolling to it: this page is
// the one the link is made in), seed and one parameter set, played, paused. Returns the
// state, the permalink and the edit (readerEdit, by `step`).
async function makeRun(page, k, seed, step) {
  await nth(page, k, (w) => w.scrollIntoView({ block: 'center' }));
  await waitReady(page, k);
  await nth(page, k, (w, seed) => {
    const input = w.querySelector('.sbw-controls input[id$="-seed"]');
    input.value = String(seed);
    input.dispatchEvent(new Event('change'));
  }, seed);
  const edits = await readerEdit(page, k, step);
  const t0 = (await stateOf(page, k)).sim_time_us;
  await nth(page, k, (w) => w.scalebook.play(true));
  await page.waitForFunction(([k, t0]) => {
    const s = document.querySelectorAll('scalebook-widget')[k].scalebook.state();
    return s.sim_time_us > t0 + 200000; // at least 0.2 s of simulated time
  }, [k, t0], { timeout: T });
  await nth(page, k, (w) => w.scalebook.play(false));
  await nth(page, k, (w) => w.scalebook.step()); // and one step while paused
  const state = await stateOf(page, k);
  assert.equal(state.playing, false);
  assert.equal(state.seed, seed);
  for (const [key, value] of edits) assert.equal(state.params[key], value);
  const link = await nth(page, k, (w) => w.scalebook.permalink());
  assert.match(link, new RegExp(`#sb=v1;w=${state.widget};i=${k};p=.*;s=${seed};t=${state.sim_time_us}$`));
  return { state, link, edits };
}

// The linked widget, opened from `a` in a fresh page: in view, paused at the link's
// moment, the same run.
async function assertLanded(page, k, a, what) {
  const at = await placement(page, k);
  assert.ok(at.docTop > at.vh + LAZY_MARGIN, `${what}: the widget is far below the fold (at ${at.docTop} px)`);
  assert.ok(at.inView, `${what}: the widget is scrolled into view (box ${at.top}..${at.bottom}, viewport ${at.vh})`);
  assert.ok(at.top >= at.pad, `${what}: not under the sticky top bar (box top ${at.top}, bar ${at.pad})`);
  const b = await stateOf(page, k);
  assert.equal(b.playing, false, `${what}: starts paused`);
  assert.equal(b.sim_time_us, a.sim_time_us, `${what}: at the linked moment`);
  assert.equal(b.seed, a.seed);
  assert.deepEqual(b.params, a.params);
  assert.equal(b.digest, a.digest, `${what}: the same state digest as the run the link was made from`);
  return b;
}

// A reader's edit of widget k, derived from its schema (no table per widget type, so a
// new catalog widget placed on a chapter page needs no line here): the first whole-number
// parameter, in schema order, moved by `step` from its value on the page, that the widget
// accepts (a value can be refused together with the others, e.g. a quorum larger than
// its node count). Applied through setParam; returns [[key, value]].
async function readerEdit(page, k, step) {
  const { name, params } = await nth(page, k, (w) => w.scalebook.info());
  const now = (await stateOf(page, k)).params;
  for (const p of params.filter((q) => q.type === 'int')) {
    const v = Number(now[p.name]);
    for (const c of [v + step, v - step]) {
      if (c < p.min || c > p.max) continue;
      if (await nth(page, k, (w, kv) => w.scalebook.setParam(kv[0], kv[1]), [p.name, String(c)]) === '') return [[p.name, String(c)]];
    }
  }
  assert.fail(`widget ${k} (${name}): no whole-number parameter accepts a change of ${step}`);
}
// A value widget k's schema refuses: one above the first bounded number's maximum.
async function refusedValue(page, k) {
  const { params } = await nth(page, k, (w) => w.scalebook.info());
  const p = params.find((q) => (q.type === 'int' || q.type === 'float') && Number.isFinite(q.max));
  return [p.name, String(p.max + 1)];
}

let browser;
let server;
// The book's chapter pages with widgets, where they sit ({ rel, names, tops, vh }), and the
// pages the tests use: `main`, a long chapter with three or more widgets, all far below the
// fold, the first and the last far apart, the last one's type not first on the page (so a
// link naming it by type is told from the fallback to the first widget); `other`, another
// chapter whose second widget is far below the fold.
let main;
let other;

describe('permalinks land on real chapter pages', () => {
  before(async () => {
    assert.ok(fs.existsSync(path.join(SITE, 'index.html')), `expected the built book in ${SITE} (run tools/build)`);
    browser = await launch();
    server = await serve(SITE);
    const chapters = fs.readdirSync(SITE).filter((f) => f.endsWith('.html') && f !== 'print.html').sort()
      .filter((rel) => fs.readFileSync(path.join(SITE, rel), 'utf8').includes('<scalebook-widget'));
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const survey = [];
    for (const rel of chapters) {
      await page.goto(`${server.url}/${rel}`, { waitUntil: 'load' });
      survey.push({ rel, ...await page.evaluate(() => ({ vh: innerHeight,
        names: Array.from(document.querySelectorAll('scalebook-widget'), (w) => w.getAttribute('name')),
        tops: Array.from(document.querySelectorAll('scalebook-widget'), (w) => w.getBoundingClientRect().top + scrollY) })) });
    }
    await context.close();
    const far = (c, k) => c.tops[k] > c.vh + LAZY_MARGIN + 200;
    main = survey.filter((c) => c.names.length >= 3 && c.tops.every((_, k) => far(c, k))
      && c.tops[c.tops.length - 1] - c.tops[0] > c.vh + 2 * LAZY_MARGIN && c.names.indexOf(c.names[c.names.length - 1]) > 0)
      .sort((x, y) => y.names.length - x.names.length)[0];
    assert.ok(main, 'a chapter with 3+ widgets, all far below the fold:\n' + JSON.stringify(survey));
    other = survey.find((c) => c !== main && c.names.length >= 2 && far(c, 1));
    assert.ok(other, 'a second chapter with 2+ widgets, the second far below the fold:\n' + JSON.stringify(survey));
  });
  after(async () => { if (browser) await browser.close(); if (server) await server.close(); });

  // The runs the links are made from, made once (two pages, one per chapter) and shared by
  // the tests: main's first widget, main's last widget twice (two different runs), other's second.
  let runsMade = null;
  const runs = () => runsMade || (runsMade = (async () => {
    const L = main.names.length - 1;
    const a = await open(browser, `${server.url}/${main.rel}`);
    const r = { first: await makeRun(a.page, 0, 7, 1) };
    r.last = await makeRun(a.page, L, 21, 1);
    r.bad = await refusedValue(a.page, L);
    r.lastB = await makeRun(a.page, L, 22, 2);
    assert.notEqual(r.last.state.digest, r.lastB.state.digest);
    const b = await open(browser, `${server.url}/${other.rel}`);
    r.other = await makeRun(b.page, 1, 5, 1);
    assert.deepEqual([...a.problems, ...b.problems], []);
    await a.context.close();
    await b.context.close();
    return r;
  })());

  async function landingCase(t, c, k, run) {
    t.diagnostic(`${c.rel}, widget ${k} (${c.names[k]}) at ${Math.round(c.tops[k])} px`);
    const { state: a, link } = run;
    const { page, context, problems } = await open(browser, link); // no scrolling from here on
    await waitReady(page, k);
    await assertLanded(page, k, a, `${c.rel} #${k} (${c.names[k]})`);
    // Still paused there a moment later (it waits for the reader's Play).
    await page.waitForTimeout(700);
    const later = await stateOf(page, k);
    assert.equal(later.playing, false);
    assert.equal(later.sim_time_us, a.sim_time_us);
    assert.equal(later.digest, a.digest);
    assert.deepEqual(problems, []);
    await context.close();
  }

  it('the first widget of a long chapter: its permalink scrolls it into view, paused at the moment, same digest', async (t) => {
    await landingCase(t, main, 0, (await runs()).first);
  });
  it('a later widget of the chapter: the same', async (t) => {
    await landingCase(t, main, main.names.length - 1, (await runs()).last);
  });
  it('another chapter\'s second widget: the same', async (t) => {
    await landingCase(t, other, 1, (await runs()).other);
  });

  it('a broken permalink shows its error in the widget it names, scrolled into view', async () => {
    const { rel, names } = main;
    const last = names.length - 1;
    const [badKey, badValue] = (await runs()).bad;
    const cases = [
      // readable, but a value the schema refuses: the named widget
      [`sb=v1;w=${names[last]};i=${last};p=${badKey}:${badValue};s=1;t=0`, last,
        new RegExp(`permalink parameter '${badKey}': value ${badValue} is out of range`)],
      // unreadable parameters (bad percent-encoding), but w= and i= can be read: that widget
      [`sb=v1;w=${names[1]};i=1;p=${badKey}:%E0%A4%A;s=1;t=0`, 1, /permalink: bad percent-encoding/],
      // an unreadable index, a readable name: the first widget of that name (not the first widget)
      [`sb=v1;w=${names[last]};i=two;s=1;t=0`, names.indexOf(names[last]), /permalink: widget index "two" is not a whole number/],
      // a version this page cannot read: the first widget (far below the fold too)
      [`sb=v9;w=${names[1]};i=1`, 0, /permalink version "v9" is not supported/]
    ];
    for (const [frag, k, re] of cases) {
      const { page, context, problems } = await open(browser, `${server.url}/${rel}#${frag}`);
      await waitError(page, k);
      assert.match(await nth(page, k, (w) => w.scalebook.error()), re, frag);
      const at = await placement(page, k);
      assert.ok(at.docTop > at.vh + LAZY_MARGIN, `${frag}: widget ${k} is far below the fold (at ${at.docTop} px)`);
      assert.ok(at.inView, `${frag}: widget ${k}'s error box is scrolled into view (box ${at.top}..${at.bottom}, viewport ${at.vh})`);
      const errors = await page.$$eval('scalebook-widget', (ws) => ws.map((w) => (w.scalebook.error() ? 1 : 0)));
      assert.deepEqual(errors, names.map((_, j) => (j === k ? 1 : 0)), `${frag}: only widget ${k} shows an error`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });

  // The behaviour specified in docs/embedding.md ("Permalinks on an open page").
  it('hashchange to another widget\'s permalink: that widget lands and is reconfigured; the first is unaffected', async () => {
    const { rel, names } = main;
    const L = names.length - 1; // far from widget 0
    const { first: run0, last: runL, lastB: runLb } = await runs();

    const { page, context, problems } = await open(browser, run0.link);
    await waitReady(page, 0);
    const s0 = await assertLanded(page, 0, run0.state, 'on load');
    assert.equal(await nth(page, L, (w) => w.scalebook.ready()), false, `widget ${L} has not started (it is far away)`);
    const untouched = async (what) => {
      const s = await stateOf(page, 0);
      assert.equal(s.handle, s0.handle, `${what}: widget 0 was not restarted`);
      assert.equal(s.digest, s0.digest, `${what}: widget 0 keeps its run`);
      assert.equal(s.playing, false);
      assert.equal(await nth(page, 0, (w) => w.scalebook.error()), null);
    };
    const go = (link) => page.evaluate((frag) => { location.hash = frag; }, link.slice(link.indexOf('#')));

    // 1. A widget that has not started yet.
    await go(runL.link);
    await waitReady(page, L);
    await assertLanded(page, L, runL.state, `hashchange to widget ${L}`);
    await untouched(`hashchange to widget ${L}`);

    // 2. The same widget, running and changed by the reader, given another link.
    await nth(page, L, (w) => w.scalebook.play(true));
    await page.waitForFunction(([k, t]) => document.querySelectorAll('scalebook-widget')[k].scalebook.state().sim_time_us > t,
      [L, runL.state.sim_time_us], { timeout: T });
    const [key, value] = runLb.edits[0];
    assert.equal(await nth(page, L, (w, kv) => w.scalebook.setParam(kv[0], kv[1]), [key, value]), '');
    await nth(page, 0, (w) => w.scrollIntoView({ block: 'center' })); // the reader scrolls away
    await go(runLb.link);
    await page.waitForFunction(([k, d]) => {
      const w = document.querySelectorAll('scalebook-widget')[k];
      return w.scalebook.ready() && w.scalebook.digest() === d;
    }, [L, runLb.state.digest], { timeout: T });
    await assertLanded(page, L, runLb.state, 'hashchange to a running widget');
    await untouched('hashchange to a running widget');

    // 3. A broken link naming it: its error, in its box, in view.
    await go(`#sb=v1;w=${names[L]};i=${L};p=${key}:%zz;s=1;t=0`);
    await waitError(page, L);
    assert.match(await nth(page, L, (w) => w.scalebook.error()), /permalink: bad percent-encoding/);
    assert.ok((await placement(page, L)).inView, 'the error box is in view');
    await untouched('hashchange to a broken link');

    // 4. Back: the earlier link again; the failed widget starts over from it.
    await page.goBack();
    await waitReady(page, L);
    await assertLanded(page, L, runLb.state, 'Back to the earlier link');
    await untouched('Back');

    // 5. An ordinary #anchor changes no widget.
    const hL = (await stateOf(page, L)).handle;
    const anchor = await page.evaluate(() => document.querySelector('.sb-content h2[id]').id);
    await page.evaluate((a) => { location.hash = a; }, anchor);
    await page.waitForFunction((a) => location.hash === '#' + a, anchor);
    await page.waitForTimeout(300);
    assert.equal((await stateOf(page, L)).handle, hL, 'an ordinary anchor does not restart the linked widget');
    await untouched('an ordinary anchor');

    assert.deepEqual(problems, []);
    await context.close();
  });
});
