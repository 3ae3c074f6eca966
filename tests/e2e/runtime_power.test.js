// Widget runtime, power and clipboard (issue 3 items 2 and 4): a hidden tab stops every
// widget and a visible one resumes them; Ctrl+C in an in-canvas text field reaches the
// system clipboard.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const { open } = require('./lib');
const { setup, state, frames, waitFrames, showAndWait, controlPoint, sleep } = require('./runtime_helpers');

describe('widget runtime: power and clipboard', () => {
  let env;
  before(async () => { env = await setup('power'); });
  after(async () => { await env.close(); });

  it('a hidden tab stops every widget, and showing it again resumes them', async () => {
    // A small viewport-tall page of six widgets, all in view at once.
    const { page, problems, context } = await open(env.browser, `${env.server.url}/six.html`, { viewport: { width: 900, height: 2600 } });
    const sels = await page.$$eval('scalebook-widget', (ws) => ws.map((w, i) => { w.id = w.id || 'w' + i; return '#' + w.id; }));
    assert.equal(sels.length, 6);
    for (const s of sels) await waitFrames(page, s, 3);
    const counts = () => page.$$eval('scalebook-widget', (ws) => ws.map((w) => w.scalebook.frames()));
    const running = await counts();
    await page.waitForFunction((before) => Array.from(document.querySelectorAll('scalebook-widget'))
      .filter((w, i) => w.scalebook.frames() > before[i]).length >= 6, running, { timeout: 60000 });

    // Headless Chromium keeps every page visible, so the test switches the page's
    // visibility the way a browser does when the tab goes to the background: the
    // document reports hidden and fires visibilitychange.
    await page.evaluate(() => {
      window.__hidden = true;
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__hidden });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (window.__hidden ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await sleep(300); // a frame already requested may still land
    const hidden0 = await counts();
    await sleep(1500);
    const hidden1 = await counts();
    assert.deepEqual(hidden1, hidden0, 'no widget renders a frame while the tab is hidden');
    const simBefore = await Promise.all(sels.map((s) => state(page, s).then((st) => st.sim_time_us)));
    await sleep(500);
    const simAfter = await Promise.all(sels.map((s) => state(page, s).then((st) => st.sim_time_us)));
    assert.deepEqual(simAfter, simBefore, 'simulated time stands still while hidden');

    await page.evaluate(() => { window.__hidden = false; document.dispatchEvent(new Event('visibilitychange')); });
    await page.waitForFunction((before) => Array.from(document.querySelectorAll('scalebook-widget'))
      .filter((w, i) => w.scalebook.frames() > before[i] + 2).length === 6, hidden1, { timeout: 60000 });
    // Time resumes where it stopped: the first frame after the pause does not jump
    // ahead by the hidden interval (the loader clamps a frame's real time step).
    const resumed = await Promise.all(sels.map((s) => state(page, s)));
    for (let i = 0; i < sels.length; i++) {
      assert.equal(resumed[i].playing, true);
      assert.ok(resumed[i].sim_time_us > simAfter[i], 'the model advances again');
    }
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('Ctrl+C in an in-canvas text field copies its text to the clipboard', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/input.html`);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
    const W = 'figure scalebook-widget';
    await showAndWait(page, W);
    await page.$eval(W, (w) => w.scalebook.play(false));
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    // Type a recognisable seed into the in-canvas seed field, then select it all and copy.
    const seed = 987654321;
    const sd = await controlPoint(page, W, '@seed', 0.3);
    const focusField = async () => {
      await page.mouse.click(sd.x, sd.y);
      await page.waitForFunction((s) => document.querySelector(s).scalebook.state().item_active, W, { timeout: 30000 });
      await page.keyboard.press('Control+A');
      await waitFrames(page, W, (await frames(page, W)) + 1);
    };
    await focusField();
    await page.keyboard.type(String(seed));
    await page.keyboard.press('Enter');
    await page.waitForFunction(([s, v]) => document.querySelector(s).scalebook.state().seed === v, [W, seed], { timeout: 30000 });
    await focusField();
    await page.keyboard.press('Control+C');
    for (let i = 0; i < 100 && (await page.evaluate(() => navigator.clipboard.readText())) === 'before'; i++) await sleep(200);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), String(seed));
    assert.equal((await state(page, W)).seed, seed, 'copying does not change the field');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
