// Walking skeleton: the served page's widget draws, animates, and logs no errors.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { serve, buildFixture, launch, open, widgetsReady, canvasStats } = require('./lib');

test('a served page upgrades its widget, draws non-background pixels that change between frames', async () => {
  const dir = buildFixture('widgets');
  const server = await serve(dir);
  const browser = await launch();
  try {
    const { page, problems } = await open(browser, `${server.url}/one.html`);
    await widgetsReady(page);
    const sel = 'scalebook-widget';
    assert.equal(await page.$eval(sel, (w) => w.scalebook.error()), null);
    await page.waitForFunction((s) => document.querySelector(s).scalebook.frames() >= 2, sel);
    const a = await canvasStats(page, sel);
    const framesA = await page.$eval(sel, (w) => w.scalebook.frames());
    await page.waitForFunction(([s, f]) => document.querySelector(s).scalebook.frames() >= f + 2, [sel, framesA]);
    const b = await canvasStats(page, sel);
    assert.ok(a.differing > a.total * 0.05, `expected drawn pixels, got ${a.differing}/${a.total}`);
    assert.notEqual(a.hash, b.hash, 'the canvas did not change between frames');
    const state = await page.$eval(sel, (w) => w.scalebook.state());
    assert.equal(state.widget, 'hello');
    assert.equal(state.params.waves, '4');
    assert.ok(state.sim_time_us > 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
