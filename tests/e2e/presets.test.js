// Story presets (catalog.h PresetSpec): the loader turns a widget's presets into real
// buttons under the canvas; pressing one applies its parameter set like a parameter
// change — model reconfigured, DOM controls re-synced, permalink updated, story shown.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, TOOL, BUNDLE, serve, launch, open, widgetsReady } = require('./lib');
const { state, showAndWait, sleep } = require('./runtime_helpers');

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
