// Story presets (catalog.h PresetSpec): the loader turns a widget's presets into real
// buttons under the canvas; pressing one applies its parameter set like a parameter
// change — model reconfigured, DOM controls re-synced, permalink updated, story shown.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, TOOL, BUNDLE, serve, launch, open, widgetsReady } = require('./lib');
const { state, showAndWait, controlPoint, sleep } = require('./runtime_helpers');

const FIRST = 'figure:nth-of-type(1) > scalebook-widget';
const SECOND = 'figure:nth-of-type(2) > scalebook-widget';

describe('story presets', () => {
  let server, browser;
  before(async () => {
    const out = path.join(ROOT, 'build', 'e2e', 'presets');
    execFileSync(TOOL, ['build', '--content', path.join(__dirname, 'fixtures', 'presets'), '--out', out, '--bundle', BUNDLE],
      { stdio: 'pipe' });
    server = await serve(out);
    browser = await launch();
  });
  after(async () => { await browser.close(); await server.close(); });

  it('a preset button applies its parameters: model, DOM controls, permalink and story follow', async () => {
    const { page, problems, context } = await open(browser, `${server.url}/presets.html`);
    await widgetsReady(page);
    await showAndWait(page, FIRST, 2);
    const w = page.locator(FIRST);

    // Four real buttons in a labelled group; at the defaults none is pressed.
    const group = w.getByRole('group', { name: 'Stories' });
    const labels = await group.getByRole('button').allTextContents();
    assert.deepEqual(labels, ['Burst', 'Boundary attack', 'Noisy neighbour', 'Distributed drift']);
    assert.equal(await group.locator('button[aria-pressed=true]').count(), 0);
    let st = await state(page, FIRST);
    assert.equal(st.preset, null);
    assert.equal(st.params.traffic, 'poisson');
    assert.deepEqual(st.model.lanes.map((l) => l.algorithm), ['token-bucket']);
    assert.equal(await w.locator('.sbw-story').isHidden(), true);
    const seed = st.seed;

    // Click "Boundary attack".
    await group.getByRole('button', { name: 'Boundary attack' }).click();
    st = await state(page, FIRST);
    assert.equal(st.preset, 'boundary');
    assert.equal(st.params.compare, 'fixed-window,sliding-log,sliding-counter');
    assert.equal(st.params.traffic, 'boundary');
    assert.equal(st.params.rate, '10r/s');
    assert.equal(st.params.spike, '10');
    assert.equal(st.params.load, '15', 'parameters the preset does not name are at their defaults');
    assert.equal(st.seed, seed, 'the seed is kept');
    assert.deepEqual(st.model.lanes.map((l) => l.algorithm), ['fixed-window', 'sliding-log', 'sliding-counter']);
    assert.equal(await group.getByRole('button', { name: 'Boundary attack' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await group.locator('button[aria-pressed=true]').count(), 1);
    const story = w.locator('.sbw-story');
    assert.equal(await story.isVisible(), true);
    assert.match(await story.textContent(), /^Boundary attack\. .*admits all 20: twice its limit/);

    // The DOM controls show the new values (the panel is a <details>: open it).
    await w.locator('details.sbw-controls > summary').click();
    assert.equal(await w.getByLabel('Traffic', { exact: true }).inputValue(), 'boundary');
    assert.equal(await w.getByLabel('Compare', { exact: true }).inputValue(), 'fixed-window,sliding-log,sliding-counter');
    assert.equal(await w.getByLabel('Rate', { exact: true }).inputValue(), '10r/s');
    assert.equal(await w.getByLabel('Spike size value').inputValue(), '10');
    assert.equal(await w.getByLabel('Offered load (r/s) value').inputValue(), '15');

    // The model runs the story: across a boundary the fixed window admits 2× its limit
    // (10 per window), the sliding log never more than the limit.
    await page.$eval(FIRST, (el) => el.scalebook.seek(1500000));
    st = await state(page, FIRST);
    const [fixed, log] = st.model.lanes;
    assert.equal(fixed.admitted, 20, 'fixed window admits 10 before and 10 after the boundary');
    assert.equal(log.admitted, 10, 'the sliding log admits its limit');
    assert.equal(st.model.requests, 20);

    // The permalink carries the preset's parameters.
    const link = await page.$eval(FIRST, (el) => el.scalebook.permalink());
    assert.match(link, /traffic:boundary/);
    assert.match(link, /compare:fixed-window%2Csliding-log%2Csliding-counter/);

    // Keyboard: Tab to "Burst" and press Space.
    await group.getByRole('button', { name: 'Boundary attack' }).focus();
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Burst');
    await page.keyboard.press('Space');
    st = await state(page, FIRST);
    assert.equal(st.preset, 'burst');
    assert.deepEqual(st.model.lanes.map((l) => l.algorithm), ['token-bucket', 'nginx', 'shaper']);
    assert.equal(await w.getByLabel('Traffic', { exact: true }).inputValue(), 'spike');
    assert.equal(await w.getByLabel('Compare', { exact: true }).inputValue(), 'token-bucket,nginx,shaper');
    assert.match(await story.textContent(), /^Burst\. /);

    // Changing one parameter by hand leaves the story: no button pressed, no story text.
    await w.getByLabel('Traffic', { exact: true }).selectOption('poisson');
    st = await state(page, FIRST);
    assert.equal(st.params.traffic, 'poisson');
    assert.equal(st.preset, null);
    assert.equal(await group.locator('button[aria-pressed=true]').count(), 0);
    assert.equal(await story.isHidden(), true);
    // …and setting it back makes the parameters equal the preset again.
    assert.equal(await page.$eval(FIRST, (el) => el.scalebook.setParam('traffic', 'spike')), '');
    assert.equal((await state(page, FIRST)).preset, 'burst');
    assert.equal(await group.getByRole('button', { name: 'Burst' }).getAttribute('aria-pressed'), 'true');

    // The test hook applies presets too and reports unknown ones.
    assert.equal(await page.$eval(FIRST, (el) => el.scalebook.applyPreset('drift')), '');
    st = await state(page, FIRST);
    assert.equal(st.params.gateways, '8');
    assert.equal(st.params.sync, '500');
    assert.deepEqual(st.model.lanes.map((l) => l.algorithm), ['fixed-window', 'distributed']);
    assert.match(await page.$eval(FIRST, (el) => el.scalebook.applyPreset('nope')), /unknown preset 'nope' \(known: burst, boundary, noisy-neighbour, drift\)/);
    assert.equal((await state(page, FIRST)).preset, 'drift', 'a failed preset changes nothing');

    assert.deepEqual(problems, []);
    await context.close();
  });

  it('the in-canvas "story" combo: a real click opens it, Escape or a click outside close it unchanged, an item applies its preset', async () => {
    const { page, problems, context } = await open(browser, `${server.url}/presets.html`);
    await widgetsReady(page);
    await showAndWait(page, FIRST, 2);
    const w = page.locator(FIRST);
    const group = w.getByRole('group', { name: 'Stories' });
    const story = w.locator('.sbw-story');
    const ITEMS = ['@preset:burst', '@preset:boundary', '@preset:noisy-neighbour', '@preset:drift'];
    // The rects of the popup's items: the host registers them only while the popup is open.
    const itemRects = async () => {
      const c = (await state(page, FIRST)).controls;
      return Object.keys(c).filter((k) => k.startsWith('@preset:')).map((k) => [k, c[k]]);
    };
    const popupOpen = (isOpen) => page.waitForFunction(([s, want]) => {
      const keys = Object.keys(document.querySelector(s).scalebook.state().controls);
      return keys.some((k) => k.startsWith('@preset:')) === want;
    }, [FIRST, isOpen], { timeout: 30000 });
    const openCombo = async () => {
      const c = await controlPoint(page, FIRST, '@preset');
      assert.ok(c, 'the combo has a rect');
      await page.mouse.click(c.x, c.y);
      await popupOpen(true);
      const rects = await itemRects();
      assert.deepEqual(rects.map(([k]) => k), ITEMS, 'one rect per story, in button order');
      const combo = (await state(page, FIRST)).controls['@preset'];
      let bottom = combo[1] + combo[3];
      for (const [k, r] of rects) {
        assert.ok(r[2] > 0 && r[3] > 0, `${k} has a size`);
        assert.ok(r[1] >= bottom - 1, `${k} lies below the combo and the previous item: ${JSON.stringify([combo, rects])}`);
        bottom = r[1] + r[3];
      }
      return rects;
    };
    const unchanged = async (params, why) => {
      const st = await state(page, FIRST);
      assert.equal(st.preset, null, why);
      assert.deepEqual(st.params, params, why);
      assert.equal(await group.locator('button[aria-pressed=true]').count(), 0, why);
      assert.equal(await story.isHidden(), true, why);
    };

    let st = await state(page, FIRST);
    assert.equal(st.preset, null);
    assert.deepEqual(await itemRects(), [], 'closed: no item rects');
    const params0 = st.params, seed = st.seed;

    // Escape closes the popup; nothing changes.
    await openCombo();
    await page.keyboard.press('Escape');
    await popupOpen(false);
    await unchanged(params0, 'Escape picks no story');

    // A click outside the popup (bottom-left of the canvas, under the toolbar) closes it too.
    const rects = await openCombo();
    const out = await page.$eval(`${FIRST} canvas`, (c) => { const r = c.getBoundingClientRect(); return { x: r.left + 10, y: r.bottom - 10, left: r.left, top: r.top }; });
    for (const [k, r] of rects) {
      const inside = out.x >= out.left + r[0] && out.x <= out.left + r[0] + r[2] && out.y >= out.top + r[1] && out.y <= out.top + r[1] + r[3];
      assert.ok(!inside, `the outside point is not on ${k}`);
    }
    await page.mouse.click(out.x, out.y);
    await popupOpen(false);
    await unchanged(params0, 'a click outside picks no story');

    // A click on the page outside the canvas (the canvas loses focus) closes it as well.
    await openCombo();
    // (the widget's own caption: plain text under the canvas, not a control)
    const caption = page.locator('figure:nth-of-type(1) figcaption');
    await caption.scrollIntoViewIfNeeded();
    const box = await caption.boundingBox();
    assert.equal(await page.evaluate(([x, y]) => document.elementFromPoint(x, y).closest('figcaption') !== null,
      [box.x + 4, box.y + box.height / 2]), true, 'the point is on the caption');
    await page.mouse.click(box.x + 4, box.y + box.height / 2);
    assert.notEqual(await page.evaluate(() => document.activeElement && document.activeElement.tagName), 'CANVAS', 'focus left the canvas');
    await popupOpen(false);
    await unchanged(params0, 'a click on the page picks no story');

    // Open it again and click "Noisy neighbour".
    await openCombo();
    const item = await controlPoint(page, FIRST, '@preset:noisy-neighbour');
    await page.mouse.click(item.x, item.y);
    await page.waitForFunction((s) => document.querySelector(s).scalebook.state().preset === 'noisy-neighbour', FIRST, { timeout: 30000 });
    await popupOpen(false);
    st = await state(page, FIRST);
    assert.deepEqual(
      { algorithm: st.params.algorithm, traffic: st.params.traffic, clients: st.params.clients, skew: st.params.skew,
        load: st.params.load, rate: st.params.rate, capacity: st.params.capacity },
      { algorithm: 'token-bucket', traffic: 'zipf-clients', clients: '20', skew: '1.4', load: '40', rate: '8r/s', capacity: '8' });
    assert.equal(st.params.compare, params0.compare, 'parameters the preset does not name are at their defaults');
    assert.equal(st.seed, seed, 'the seed is kept');
    assert.notDeepEqual(st.params, params0);
    // DOM: the matching button is pressed, the others not; the story is shown.
    assert.equal(await group.getByRole('button', { name: 'Noisy neighbour' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await group.locator('button[aria-pressed=true]').count(), 1);
    assert.equal(await story.getAttribute('aria-live'), 'polite');
    assert.equal(await story.isVisible(), true);
    assert.match(await story.textContent(), /^Noisy neighbour\. 20 clients share 40 r\/s, Zipf-skewed/);
    // The DOM controls follow.
    await w.locator('details.sbw-controls > summary').click();
    assert.equal(await w.getByLabel('Traffic', { exact: true }).inputValue(), 'zipf-clients');
    assert.equal(await w.getByLabel('Rate', { exact: true }).inputValue(), '8r/s');
    // The permalink carries exactly the widget's parameters and seed…
    const link = await page.$eval(FIRST, (el) => el.scalebook.permalink());
    const parsed = await page.evaluate((l) => {
      const p = window.ScalebookRuntime.parsePermalink(new URL(l).hash);
      return { widget: p.widget, index: p.index, seed: p.seed, params: Object.assign({}, p.params) };
    }, link);
    assert.deepEqual(parsed, { widget: 'rate-limiter', index: 0, seed: String(seed), params: st.params });
    // …and opening it starts the widget on the same story.
    const other = await open(browser, link);
    await widgetsReady(other.page);
    await showAndWait(other.page, FIRST, 2);
    const o = await state(other.page, FIRST);
    assert.equal(o.preset, 'noisy-neighbour');
    assert.deepEqual(o.params, st.params);
    assert.equal(await other.page.locator(FIRST).getByRole('button', { name: 'Noisy neighbour' }).getAttribute('aria-pressed'), 'true');
    assert.deepEqual(other.problems, []);
    await other.context.close();

    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a fence that names a preset starts with it active, and the in-canvas toolbar shows it', async () => {
    const { page, problems, context } = await open(browser, `${server.url}/presets.html`);
    await widgetsReady(page);
    await showAndWait(page, SECOND, 2);
    const st = await state(page, SECOND);
    assert.equal(st.preset, 'boundary');
    assert.equal(st.params.traffic, 'boundary');
    assert.ok(st.controls['@preset'], 'the in-canvas "story" combo has a rect');
    const w = page.locator(SECOND);
    assert.equal(await w.getByRole('button', { name: 'Boundary attack' }).getAttribute('aria-pressed'), 'true');
    assert.match(await page.locator('figure:nth-of-type(2) figcaption').textContent(), /^Rate limiter — Boundary attack: /);
    // The first widget is independent.
    assert.equal((await state(page, FIRST)).preset, null);
    await sleep(10);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
