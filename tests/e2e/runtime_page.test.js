// Widget runtime, page integration (issue 3 items 1 and 4): several widgets per page,
// lazy creation, GL contexts released off-screen, context loss, only visible widgets run.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const { open, canvasStats } = require('./lib');
const { setup, state, frames, waitFrames, showAndWait, sleep } = require('./runtime_helpers');

describe('widget runtime: page integration', () => {
  let env;
  before(async () => { env = await setup('page'); });
  after(async () => { await env.close(); });

  it('six widgets on one page all render, each in its own canvas, with no errors', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/six.html`);
    const n = await page.$$eval('scalebook-widget', (ws) => ws.length);
    assert.equal(n, 6);
    const seen = new Set();
    for (let i = 1; i <= n; i++) {
      const s = `figure:nth-of-type(${i}) > scalebook-widget`;
      await showAndWait(page, s, 2);
      const st = await state(page, s);
      assert.equal(st.params.waves, String(i), `widget ${i} got its own parameters`);
      const px = await canvasStats(page, s);
      assert.ok(px.differing > px.total * 0.05, `widget ${i} drew pixels (${px.differing}/${px.total})`);
      seen.add(await page.$eval(s, (w) => w.querySelector('canvas').id));
    }
    assert.equal(seen.size, 6, 'six distinct canvases');
    // The Wasm is fetched (and compiled) once for the page, from the one bundle holding its
    // widgets (here hello's own): over http the binary .wasm, never also the base64 copy
    // that file:// pages use, and no other bundle.
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((e) => e.name.replace(/^.*\//, '')).filter((n) => /^scalebook-widgets.*\.wasm(\.js)?$/.test(n)));
    assert.deepEqual(loaded, ['scalebook-widgets.hello.wasm'], 'the Wasm is loaded once per page, from its widget\'s bundle');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('20 widgets keep working while scrolling through them: contexts are released off-screen and none is lost', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/twenty.html`, { viewport: { width: 1000, height: 700 } });
    const warnings = [];
    page.on('console', (m) => { if (/WebGL|context/i.test(m.text())) warnings.push(m.text()); });
    const count = await page.$$eval('scalebook-widget', (ws) => ws.length);
    assert.equal(count, 20);
    let maxLive = 0;
    for (let i = 0; i < count; i++) {
      const handle = await page.locator('scalebook-widget').nth(i).elementHandle();
      await handle.evaluate((w) => w.scrollIntoView({ block: 'center' }));
      await page.waitForFunction((w) => w.scalebook.ready() && w.scalebook.state().gl && w.scalebook.frames() >= 2, handle, { timeout: 60000 });
      const f0 = await handle.evaluate((w) => w.scalebook.frames());
      await page.waitForFunction(([w, f]) => w.scalebook.frames() > f, [handle, f0], { timeout: 60000 });
      const live = await page.$$eval('scalebook-widget', (ws) => ws.filter((w) => w.scalebook.ready() && w.scalebook.state().gl).length);
      maxLive = Math.max(maxLive, live);
    }
    assert.ok(maxLive <= 12, `at most 12 live GL contexts at a time (saw ${maxLive}); Chromium keeps ~16`);
    // Back to the top: the first widget gets a new context and draws again.
    const first = await page.locator('scalebook-widget').first().elementHandle();
    await first.evaluate((w) => w.scrollIntoView({ block: 'center' }));
    await page.waitForFunction((w) => w.scalebook.state().gl, first, { timeout: 60000 });
    const f1 = await first.evaluate((w) => w.scalebook.frames());
    await page.waitForFunction(([w, f]) => w.scalebook.frames() >= f + 2, [first, f1], { timeout: 60000 });
    const px = await page.evaluate((w) => {
      const c = w.querySelector('canvas');
      const t = document.createElement('canvas'); t.width = c.width; t.height = c.height;
      const g = t.getContext('2d'); g.drawImage(c, 0, 0);
      const d = g.getImageData(0, 0, t.width, t.height).data;
      let n = 0; for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 24) n++;
      return n / (d.length / 4);
    }, first);
    assert.ok(px > 0.05, `the first widget draws again after its context came back (${px})`);
    const losses = await page.$$eval('scalebook-widget', (ws) => ws.map((w) => w.scalebook.contextLosses()));
    assert.deepEqual(losses, new Array(20).fill(0), 'no widget lost its context to the browser');
    assert.deepEqual(warnings.filter((w) => /too many active webgl contexts/i.test(w)), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('an off-screen widget renders no frames, and is not even created until it comes near', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/far.html`);
    const top = 'figure scalebook-widget';
    await waitFrames(page, top, 2);
    assert.equal(await page.$eval('#far', (w) => w.scalebook.ready()), false, 'far widget not created yet');
    await showAndWait(page, '#far', 3);
    // Scroll it away: its frame counter stays still while the one in view keeps going.
    await page.$eval(top, (w) => w.scrollIntoView({ block: 'center' }));
    await sleep(300);
    const farBefore = await frames(page, '#far');
    const topBefore = await frames(page, top);
    await sleep(1200);
    assert.equal(await frames(page, '#far'), farBefore, 'off-screen widget rendered frames');
    assert.ok(await frames(page, top) >= topBefore + 2, 'the visible widget kept animating');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('webglcontextlost / restored: the widget releases and rebuilds its GL state and draws again', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/six.html`);
    const s = 'figure scalebook-widget';
    await waitFrames(page, s, 2);
    await page.$eval(s, (w) => {
      window.__ext = w.querySelector('canvas').getContext('webgl2').getExtension('WEBGL_lose_context');
      window.__ext.loseContext();
    });
    await page.waitForFunction((sel) => document.querySelector(sel).scalebook.contextLosses() === 1, s);
    assert.equal((await state(page, s)).gl, false);
    await page.evaluate(() => window.__ext.restoreContext());
    await page.waitForFunction((sel) => document.querySelector(sel).scalebook.state().gl, s, { timeout: 60000 });
    const f = await frames(page, s);
    await waitFrames(page, s, f + 3);
    const px = await canvasStats(page, s);
    assert.ok(px.differing > px.total * 0.05, 'draws after the context came back');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
