// Widget runtime, share and embed (issue 3 items 7 and 9): permalinks reproduce a run,
// bad input shows in its own box, embed snippets and the iframe page work on foreign
// pages and from file://.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { open, serve, canvasStats, ROOT } = require('./lib');
const { setup, state, frames, waitFrames, showAndWait, sleep } = require('./runtime_helpers');

const W = 'figure scalebook-widget';

describe('widget runtime: share and embed', () => {
  let env;
  before(async () => { env = await setup('share'); });
  after(async () => { await env.close(); });

  it('a permalink reproduces the same state digest (parameters, seed, simulated time)', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/one.html`);
    await waitFrames(page, W, 3);
    assert.equal(await page.$eval(W, (w) => w.scalebook.setParam('waves', '6')), '');
    await page.$eval(`${W} details.sbw-controls`, (d) => { d.open = true; });
    await page.fill(`${W} .sbw-controls input[id$="-seed"]`, '42');
    await page.$eval(`${W} .sbw-controls input[id$="-seed"]`, (i) => i.dispatchEvent(new Event('change')));
    await waitFrames(page, W, (await frames(page, W)) + 4);
    await page.$eval(W, (w) => w.scalebook.play(false));
    const a = await state(page, W);
    assert.ok(a.sim_time_us > 0 && a.seed === 42 && a.params.waves === '6');
    const link = await page.$eval(W, (w) => w.scalebook.permalink());
    assert.match(link, /#sb=v1;w=hello;i=0;p=[^;]*waves:6[^;]*;s=42;t=\d+$/);
    // The Share control shows the same link.
    await page.$eval(W, (w) => w.scalebook.share());
    assert.equal(await page.$eval(`${W} .sbw-share textarea`, (t) => t.value), link);
    // Open it in a fresh page: same parameters, seed and time; paused at that moment.
    const other = await open(env.browser, link);
    await other.page.waitForFunction((s) => document.querySelector(s).scalebook.ready(), W, { timeout: 60000 });
    const b = await state(other.page, W);
    assert.equal(b.sim_time_us, a.sim_time_us);
    assert.equal(b.seed, 42);
    assert.deepEqual(b.params, a.params);
    assert.equal(b.digest, a.digest, 'same state digest');
    assert.deepEqual(b.model, a.model);
    assert.equal(b.playing, false, 'a permalink opens paused on the shared moment');
    // And it plays on from there.
    await other.page.$eval(W, (w) => w.scalebook.play(true));
    await other.page.waitForFunction(([s, t]) => document.querySelector(s).scalebook.state().sim_time_us > t, [W, a.sim_time_us], { timeout: 60000 });
    assert.deepEqual(problems, []);
    assert.deepEqual(other.problems, []);
    await other.context.close();
    await context.close();
  });

  it('a bad attribute shows a readable error in its own box while a neighbour keeps animating', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/bad.html`);
    page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });
    await showAndWait(page, '#good', 2);
    for (const id of ['#bad', '#unknown', '#inject', '#unknownattr']) {
      await page.$eval(id, (w) => w.scrollIntoView());
      await page.waitForFunction((s) => document.querySelector(s).scalebook.error(), id, { timeout: 60000 });
    }
    const err = (id) => page.$eval(id, (w) => w.scalebook.error());
    assert.match(await err('#bad'), /attribute 'waves': value 40 is out of range \[1, 12\]/);
    assert.match(await err('#unknown'), /unknown widget 'no-such-widget' \(known: .*hello/);
    assert.match(await err('#inject'), /attribute 'waves': expected an integer, got "<img src=x onerror=alert\(1\)>"/);
    assert.equal(await page.$eval('#inject', (w) => w.querySelectorAll('img').length), 0, 'never inserted as HTML');
    const ua = await err('#unknownattr');
    assert.match(ua, /attribute 'colour': unknown parameter of widget 'hello'/);
    assert.match(ua, /attribute 'seed': expected a whole number/);
    // The error box is inside the widget and announced.
    assert.equal(await page.$eval('#bad .sbw-error', (e) => e.getAttribute('role')), 'alert');
    // The neighbour keeps animating.
    await page.$eval('#good', (w) => w.scrollIntoView({ block: 'center' }));
    const f = await frames(page, '#good');
    await waitFrames(page, '#good', f + 3);
    const s1 = await canvasStats(page, '#good');
    await waitFrames(page, '#good', f + 6);
    const s2 = await canvasStats(page, '#good');
    assert.notEqual(s1.hash, s2.hash, 'the good widget still animates');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a bad permalink shows its error in the widget it names; other widgets still run', async () => {
    const cases = [
      ['sb=v1;w=hello;i=0;p=waves:99;s=1;t=0', /permalink parameter 'waves': value 99 is out of range/],
      ['sb=v1;w=hello;i=0;p=colour:red;s=1;t=0', /permalink parameter 'colour': unknown parameter/],
      ['sb=v1;w=hello;i=0;p=waves:4;s=abc;t=0', /permalink seed: expected a whole number/],
      ['sb=v9;w=hello', /permalink version "v9" is not supported/]
    ];
    for (const [frag, re] of cases) {
      const { page, problems, context } = await open(env.browser, `${env.server.url}/six.html#${frag}`);
      const first = 'figure:nth-of-type(1) > scalebook-widget';
      await page.waitForFunction((s) => document.querySelector(s).scalebook.error(), first, { timeout: 60000 });
      assert.match(await page.$eval(first, (w) => w.scalebook.error()), re);
      await waitFrames(page, 'figure:nth-of-type(2) > scalebook-widget', 2);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });

  it('the embed snippet (one script tag + one element) works on a foreign page', async () => {
    const { page, context } = await open(env.browser, `${env.server.url}/one.html`);
    await waitFrames(page, W, 1);
    await page.$eval(W, (w) => w.scalebook.setParam('waves', '9'));
    const snippet = await page.$eval(W, (w) => w.scalebook.embedSnippet());
    await context.close();
    assert.match(snippet, /^<script src="http:\/\/127\.0\.0\.1:\d+\/assets\/scalebook\.js" defer><\/script>\n<scalebook-widget name="hello"[^>]* waves="9"[^>]* seed="1"><\/scalebook-widget>$/);
    // A blog on another origin, with its own styles and nothing of the book's.
    const blog = path.join(ROOT, 'build', 'e2e', 'runtime-foreign');
    fs.mkdirSync(blog, { recursive: true });
    fs.writeFileSync(path.join(blog, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><title>My blog</title><link rel="icon" href="data:,">' +
      '<style>body{font-family:Georgia,serif;max-width:640px;margin:2rem auto;--sb-widget-height:220px}</style></head><body>' +
      '<h1>A post about rate limits</h1><p>Look:</p>\n' + snippet + '\n<p>Neat.</p></body></html>');
    const foreign = await serve(blog);
    try {
      const f = await open(env.browser, `${foreign.url}/`);
      await waitFrames(f.page, 'scalebook-widget', 2);
      const st = await state(f.page, 'scalebook-widget');
      assert.equal(st.params.waves, '9');
      const px = await canvasStats(f.page, 'scalebook-widget');
      assert.ok(px.differing > px.total * 0.05);
      assert.deepEqual(f.problems.filter((p) => !p.startsWith('outside request: ' + env.server.url)), []);
      await f.context.close();
    } finally { await foreign.close(); }
  });

  it('the iframe snippet points at assets/embed.html, which renders the widget (http and file://)', async () => {
    assert.ok(fs.existsSync(path.join(env.dir, 'assets', 'embed.html')), 'the site build copies web/embed.html into assets/');
    const { page, problems, context } = await open(env.browser, `${env.server.url}/one.html`);
    await waitFrames(page, W, 1);
    await page.$eval(W, (w) => { w.scalebook.setParam('waves', '2'); w.scalebook.play(false); });
    const a = await state(page, W);
    const iframe = await page.$eval(W, (w) => w.scalebook.iframeSnippet());
    assert.match(iframe, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/assets\/embed\.html#sb=v1;w=hello;i=0;p=[^"]*" title="Hello, widget"/);
    const src = iframe.match(/src="([^"]*)"/)[1].replace(/&amp;/g, '&');
    // A foreign page holding the iframe.
    await page.setContent('<!doctype html><body><h1>Foreign</h1>' + iframe + '</body>');
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await frame.waitForFunction(() => { const w = document.querySelector('scalebook-widget'); return w && w.scalebook && w.scalebook.ready(); }, null, { timeout: 60000 });
    const b = await frame.$eval('scalebook-widget', (w) => w.scalebook.state());
    assert.equal(b.digest, a.digest, 'the iframe shows the same run');
    // The same page from file:// (a downloaded copy of the site).
    const fileUrl = pathToFileURL(path.join(env.dir, 'assets', 'embed.html')).href + src.slice(src.indexOf('#'));
    const f = await open(env.browser, fileUrl);
    await waitFrames(f.page, 'scalebook-widget', 2);
    assert.equal((await state(f.page, 'scalebook-widget')).digest, a.digest);
    // Query-string form and a hostile one: DOM APIs only, errors as text.
    const q = await open(env.browser, pathToFileURL(path.join(env.dir, 'assets', 'embed.html')).href + '?w=hello&waves=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
    await q.page.waitForFunction(() => { const w = document.querySelector('scalebook-widget'); return w && w.scalebook && w.scalebook.error(); }, null, { timeout: 60000 });
    assert.match(await q.page.$eval('scalebook-widget', (w) => w.scalebook.error()), /expected an integer, got "<img/);
    assert.equal(await q.page.$$eval('img', (i) => i.length), 0);
    assert.deepEqual(problems, []);
    assert.deepEqual(f.problems, []);
    for (const c of [f.context, q.context, context]) await c.close();
  });

  it('a book page opened from file:// renders a widget', async () => {
    const { page, problems, context } = await open(env.browser, pathToFileURL(path.join(env.dir, 'six.html')).href);
    await showAndWait(page, W, 2);
    const px = await canvasStats(page, W);
    assert.ok(px.differing > px.total * 0.05, 'drew pixels from file://');
    assert.deepEqual(problems.filter((p) => !/sw\.js|service ?worker/i.test(p)), []);
    void sleep;
    await context.close();
  });
});
