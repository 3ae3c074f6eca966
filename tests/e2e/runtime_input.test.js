// Widget runtime, input like a native element (issue 3 items 2, 5 and 6): wheel, Tab,
// the page's own inputs, touch, drags released outside, paste, DOM controls in sync.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const { open } = require('./lib');
const { setup, state, frames, waitFrames, showAndWait, controlPoint, sleep } = require('./runtime_helpers');

const W = 'figure scalebook-widget';

describe('widget runtime: input', () => {
  let env;
  before(async () => { env = await setup('input'); });
  after(async () => { await env.close(); });

  it('the wheel over a widget scrolls the page; once the reader engaged the widget it does not', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/input.html`);
    await showAndWait(page, W);
    const box = await page.$eval(`${W} canvas`, (c) => { const r = c.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height - 20 }; });
    const y0 = await page.evaluate(() => window.scrollY);
    await page.mouse.move(box.x, box.y);
    await page.mouse.wheel(0, 240);
    await page.waitForFunction((y) => window.scrollY > y + 100, y0, { timeout: 10000 });
    // Engage (click into the canvas), then the wheel belongs to the widget.
    await page.$eval(W, (w) => w.scrollIntoView({ block: 'center' }));
    const b2 = await page.$eval(`${W} canvas`, (c) => { const r = c.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height - 20 }; });
    await page.mouse.click(b2.x, b2.y);
    const y1 = await page.evaluate(() => window.scrollY);
    await page.mouse.wheel(0, 240);
    await sleep(500);
    assert.equal(await page.evaluate(() => window.scrollY), y1, 'an engaged widget keeps the wheel');
    // Focus leaves (click on the page): the wheel scrolls the page again.
    await page.mouse.click(5, 300);
    await page.mouse.move(b2.x, b2.y);
    await page.mouse.wheel(0, 240);
    await page.waitForFunction((y) => window.scrollY > y + 100, y1, { timeout: 10000 });
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('Tab moves focus out of the canvas, and text typed in a page <input> arrives intact', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/input.html`);
    await showAndWait(page, W);
    await page.click(`${W} canvas`, { position: { x: 300, y: 150 } });
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'CANVAS');
    await page.keyboard.press('Tab');
    const after = await page.evaluate(() => ({ tag: document.activeElement.tagName, inWidget: !!document.activeElement.closest('scalebook-widget') }));
    assert.notEqual(after.tag, 'CANVAS', 'Tab left the canvas');
    assert.equal(after.tag, 'SUMMARY', 'next stop: the widget\'s Controls');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'after', 'then out of the widget');
    // Shift+Tab comes back through the controls into the canvas and out above it.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'CANVAS');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'page-input');
    // Keys typed into the page's own input are never eaten, while the widget animates.
    const text = 'Hi, <b>&amp; ÄÖ €\\';
    await page.fill('#page-input', '');
    await page.type('#page-input', text, { timeout: 60000 });
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('X');
    assert.equal(await page.$eval('#page-input', (i) => i.value), text.slice(0, -1) + 'X ');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a touch drag on a slider changes a parameter (and the DOM control follows)', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/input.html`, { hasTouch: true });
    await showAndWait(page, W);
    await page.$eval(W, (w) => w.scalebook.play(false));
    const cdp = await context.newCDPSession(page);
    const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    // Tap "parameters" to open the in-canvas parameter panel.
    const p = await controlPoint(page, W, '@parameters', 0.1);
    await touch('touchStart', p.x, p.y);
    await sleep(50);
    await touch('touchEnd', p.x, p.y);
    await page.waitForFunction((s) => !!document.querySelector(s).scalebook.state().controls.waves, W, { timeout: 30000 });
    const events = [];
    await page.exposeFunction('__onParam', (d) => events.push(d));
    await page.$eval(W, (w) => w.addEventListener('scalebook-param', (e) => window.__onParam(e.detail)));
    const before = (await state(page, W)).params.waves;
    const a = await controlPoint(page, W, 'waves', 0.05);
    const steps = 8;
    await touch('touchStart', a.x, a.y);
    await waitFrames(page, W, (await frames(page, W)) + 1);
    for (let i = 1; i <= steps; i++) {
      await touch('touchMove', a.x + (a.w * 0.9 * i) / steps, a.y);
      await waitFrames(page, W, (await frames(page, W)) + 1);
    }
    await touch('touchEnd', a.x + a.w * 0.9, a.y);
    await page.waitForFunction((s) => !document.querySelector(s).scalebook.state().mouse_down, W);
    const after = (await state(page, W)).params.waves;
    assert.notEqual(after, before, 'the drag changed waves');
    assert.ok(Number(after) >= 10, `dragged most of the way right: waves = ${after}`);
    await page.waitForFunction(([s, v]) => document.querySelector(s).querySelector('.sbw-controls input[type=number][aria-label^="waves"]').value === v, [W, after]);
    assert.ok(events.some((e) => e.key === 'waves' && e.value === after), 'a scalebook-param event was dispatched');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a drag released outside the canvas does not leave the slider stuck', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/input.html`);
    await showAndWait(page, W);
    const sp = await controlPoint(page, W, '@speed', 0.5);
    await page.mouse.move(sp.x, sp.y);
    await page.mouse.down();
    await waitFrames(page, W, (await frames(page, W)) + 1);
    await page.mouse.move(sp.x + sp.w * 0.3, sp.y + 400, { steps: 4 }); // drag off the canvas, below it
    await waitFrames(page, W, (await frames(page, W)) + 1);
    await page.mouse.up();
    await page.waitForFunction((s) => { const st = document.querySelector(s).scalebook.state(); return !st.mouse_down && !st.item_active; }, W, { timeout: 30000 });
    const speed = (await state(page, W)).speed;
    // Hovering over the slider afterwards must not move it.
    await page.mouse.move(sp.x - sp.w * 0.4, sp.y, { steps: 3 });
    await waitFrames(page, W, (await frames(page, W)) + 2);
    assert.equal((await state(page, W)).speed, speed, 'no button stuck down after the release outside');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('clipboard paste goes into the focused in-canvas text field', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/input.html`);
    await showAndWait(page, W);
    await page.$eval(W, (w) => w.scalebook.play(false));
    const sd = await controlPoint(page, W, '@seed', 0.3);
    await page.mouse.click(sd.x, sd.y);
    await page.waitForFunction((s) => document.querySelector(s).scalebook.state().item_active, W, { timeout: 30000 });
    await page.keyboard.press('Control+A');
    await waitFrames(page, W, (await frames(page, W)) + 1);
    await page.$eval(`${W} canvas`, (c) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', '12345');
      c.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await waitFrames(page, W, (await frames(page, W)) + 1);
    await page.keyboard.press('Enter');
    await page.waitForFunction((s) => document.querySelector(s).scalebook.state().seed === 12345, W, { timeout: 30000 });
    assert.equal(await page.$eval(`${W} .sbw-controls input[id$="-seed"]`, (i) => i.value), '12345', 'DOM seed field in sync');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('DOM controls generated from the schema drive the widget, by keyboard, and reject invalid values readably', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/input.html`);
    await showAndWait(page, W);
    const controls = `${W} details.sbw-controls`;
    // Labelled controls for every schema parameter plus the shared controls.
    const labels = await page.$$eval(`${controls} .sbw-field label`, (ls) => ls.map((l) => [l.textContent, !!document.getElementById(l.htmlFor)]));
    assert.deepEqual(labels.map((l) => l[0]).sort(), ['particles', 'speed', 'waves']);
    assert.ok(labels.every((l) => l[1]), 'every label points at its input');
    await page.focus(`${controls} > summary`);
    await page.keyboard.press('Enter');
    assert.equal(await page.$eval(controls, (d) => d.open), true);
    // Play/pause by keyboard.
    assert.equal((await state(page, W)).playing, true);
    await page.focus(`${controls} button.sbw-play`);
    await page.keyboard.press('Space');
    assert.equal((await state(page, W)).playing, false);
    assert.equal(await page.$eval(`${controls} button.sbw-play`, (b) => b.getAttribute('aria-pressed')), 'true');
    // A parameter typed into its number field reaches the model.
    const num = `${controls} input[type=number][aria-label^="waves"]`;
    await page.fill(num, '7');
    await page.press(num, 'Enter');
    await page.$eval(num, (i) => i.dispatchEvent(new Event('change')));
    assert.equal((await state(page, W)).params.waves, '7');
    assert.equal(await page.$eval(`${controls} input[type=range][id$="-p-waves"]`, (i) => i.value), '7');
    // Out of range: a readable message, aria-invalid, and the model keeps its value.
    await page.fill(num, '99');
    await page.$eval(num, (i) => i.dispatchEvent(new Event('change')));
    const msg = await page.$eval(`${controls} .sbw-field:has(input[id$="-p-waves"]) .sbw-invalid`, (e) => e.textContent);
    assert.match(msg, /out of range \[1, 12\]/);
    assert.equal(await page.$eval(num, (i) => i.getAttribute('aria-invalid')), 'true');
    assert.equal((await state(page, W)).params.waves, '7');
    // Canvas → DOM: a click on the in-canvas play button shows in the DOM control.
    const play = await controlPoint(page, W, '@playing');
    assert.ok(play, 'the canvas toolbar has a play button');
    await page.mouse.click(play.x, play.y);
    await page.waitForFunction((s) => document.querySelector(s).scalebook.state().playing === true, W, { timeout: 10000 });
    assert.equal(await page.$eval(`${controls} button.sbw-play`, (b) => b.textContent), 'Pause');
    assert.equal(await page.$eval(`${controls} button.sbw-play`, (b) => b.getAttribute('aria-pressed')), 'false');
    // Step and reset from the DOM.
    await page.$eval(W, (w) => w.scalebook.play(false));
    const t0 = (await state(page, W)).sim_time_us;
    await page.click(`${controls} button:text-is("Step")`);
    assert.ok((await state(page, W)).sim_time_us > t0, 'Step advanced simulated time');
    await page.click(`${controls} button:text-is("Reset")`);
    assert.equal((await state(page, W)).sim_time_us, 0);
    void frames;
    assert.deepEqual(problems, []);
    await context.close();
  });
});
