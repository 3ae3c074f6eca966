// Widget runtime, display and power (issue 3 items 3, 4 and 5): hi-DPI backing store,
// reduced motion starts paused, an idle widget renders nothing, the palette follows the theme.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { open, ROOT } = require('./lib');
const { setup, state, frames, waitFrames, sleep } = require('./runtime_helpers');

const W = 'figure scalebook-widget';
const SHOTS = path.join(ROOT, 'build', 'e2e', 'screens');

// Mean RGB of a patch just under the toolbar at the right edge: the drawing area's
// background, above the waves and away from the readout text.
function backgroundColour(page) {
  return page.$eval(W, (w) => {
    const c = w.querySelector('canvas');
    const st = w.scalebook.state();
    const k = c.width / c.getBoundingClientRect().width;
    const bottom = Math.max(...Object.values(st.controls).map((r) => r[1] + r[3])); // the toolbar may wrap
    const y = Math.floor((bottom + 16) * k);
    const t = document.createElement('canvas'); t.width = c.width; t.height = c.height;
    const g = t.getContext('2d'); g.drawImage(c, 0, 0);
    const d = g.getImageData(c.width - 24, y, 12, 3).data;
    let r = 0, gg = 0, b = 0; for (let i = 0; i < d.length; i += 4) { r += d[i]; gg += d[i + 1]; b += d[i + 2]; }
    const n = d.length / 4; return [r / n, gg / n, b / n];
  });
}

describe('widget runtime: display and power', () => {
  let env;
  before(async () => { env = await setup('display'); fs.mkdirSync(SHOTS, { recursive: true }); });
  after(async () => { await env.close(); });

  for (const dpr of [1, 2]) {
    it(`hi-DPI: at deviceScaleFactor ${dpr} the backing store is CSS size × ${dpr}`, async () => {
      const { page, problems, context } = await open(env.browser, `${env.server.url}/one.html`, { dpr, viewport: { width: 800, height: 700 } });
      await waitFrames(page, W, 2);
      const m = await page.$eval(`${W} canvas`, (c) => { const r = c.getBoundingClientRect(); return { w: c.width, h: c.height, cw: r.width, ch: r.height }; });
      assert.equal(m.w, Math.round(m.cw * dpr));
      assert.equal(m.h, Math.round(m.ch * dpr));
      const st = await state(page, W);
      assert.equal(st.dpr, dpr);
      assert.deepEqual(st.fb, [m.w, m.h]);
      // The in-canvas controls keep their CSS size (font and style scaled by the DPR).
      const play = st.controls['@playing'];
      assert.ok(play[3] > 14 && play[3] < 30, `toolbar button ${play[3]} CSS px high`);
      await page.$eval(W, (w) => w.scrollIntoView({ block: 'start' }));
      await page.$eval(W, (w) => w.scalebook.play(false));
      await sleep(300);
      await (await page.$(`${W} canvas`)).screenshot({ path: path.join(SHOTS, `widget-${dpr}x.png`) });
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  it('prefers-reduced-motion starts every widget paused, and a paused widget renders no frames', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/six.html`, { reducedMotion: 'reduce' });
    const first = 'figure:nth-of-type(1) > scalebook-widget';
    await waitFrames(page, first, 1);
    await sleep(800); // let the settle frames after creation pass
    const a = await state(page, first);
    assert.equal(a.playing, false);
    assert.equal(a.sim_time_us, 0);
    await sleep(1000);
    const b = await state(page, first);
    assert.equal(b.frames, a.frames, 'an idle widget renders no frames');
    assert.equal(await page.$eval(`${first} button.sbw-play`, (x) => x.textContent), 'Play');
    // Play from the DOM control: it animates; pause again: it goes quiet.
    await page.$eval(`${first} button.sbw-play`, (x) => x.click());
    await waitFrames(page, first, b.frames + 3);
    assert.ok((await state(page, first)).sim_time_us > 0);
    await page.$eval(first, (w) => w.scalebook.play(false));
    await sleep(600);
    const c = await frames(page, first);
    await sleep(1000);
    assert.equal(await frames(page, first), c, 'quiet again after pausing');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('the palette follows <html data-theme> (the book\'s light/dark setting), visibly', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/one.html`);
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
    await waitFrames(page, W, 2);
    await page.$eval(W, (w) => w.scalebook.play(false));
    await sleep(600); // the pause renders its settle frames, then the widget is idle
    const light = await backgroundColour(page);
    assert.equal((await state(page, W)).dark, false);
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await page.waitForFunction((s) => document.querySelector(s).scalebook.state().dark, W, { timeout: 30000 });
    await sleep(600); // an idle widget redraws once for the new palette
    const dark = await backgroundColour(page);
    const lum = (c) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    assert.ok(lum(light) > 180 && lum(dark) < 80, `light ${light} → dark ${dark}`);
    assert.equal(await page.$eval(W, (w) => w.getAttribute('data-sbw-theme')), 'dark', 'DOM controls follow too');
    const fg = await page.$eval(`${W} .sbw-controls`, (d) => getComputedStyle(d).color);
    assert.match(fg, /rgb\(2[0-9]{2}, /, 'light text on the dark controls');
    await (await page.$(W)).screenshot({ path: path.join(SHOTS, 'widget-dark.png') });
    assert.deepEqual(problems, []);
    await context.close();
  });
});
