// The sharding widget (src/widgets/sharding) in the browser: an add-node step moves
// about K/(N+1) keys under a consistent-hash ring and jump hash and about N/(N+1) under
// hash mod N, as the test hook reports; the keys' flight is animated (frames advance
// while it runs) and then the widget goes idle (no frames without something to show).
// The view's own in-canvas "+ node" / "− node" buttons (src/widgets/sharding/node_step.h,
// a parameter request to the host, view.h) change node_count exactly like the parameter
// panel: the model, the DOM controls, the permalink and the page's event follow.
// A combination the widget cannot run or show is refused (its cross-parameter check), never
// replaced by another value.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { serve, buildFixture, launch, open, widgetsReady, canvasStats } = require('./lib');
const { controlPoint, showAndWait } = require('./runtime_helpers');

const model = (page, sel) => page.$eval(sel, (w) => w.scalebook.state().model);
const frames = (page, sel) => page.$eval(sel, (w) => w.scalebook.frames());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function near(actual, expected, tolerance, what) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(4)}, expected ${expected.toFixed(4)} ± ${tolerance}`);
}

let server, browser;
test.before(async () => { server = await serve(buildFixture('sharding')); browser = await launch(); });
test.after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});
// The fixture page in a fresh browser context, closed when test `t` ends.
async function openFixture(t, opts) {
  const r = await open(browser, `${server.url}/sharding.html`, opts);
  t.after(() => r.context.close());
  return r;
}

test('add-node moves ~K/(N+1) keys for ring and jump, ~N/(N+1) for mod-N; frames run only while keys fly', async (t) => {
  const { page, problems } = await openFixture(t, { viewport: { width: 1000, height: 900 } });
  await widgetsReady(page, 300000);
  const cases = [
    { sel: 'scalebook-widget[strategy="ring"]', n: 4, main: 'ring' },
    { sel: 'scalebook-widget[strategy="jump"]', n: 9, main: 'jump' }
  ];
  for (const { sel, n, main } of cases) {
    await page.$eval(sel, (w) => w.scrollIntoView({ block: 'center' }));
    await page.waitForFunction((s) => { const w = document.querySelector(s); return w.scalebook.ready() && w.scalebook.frames() >= 2; },
      sel, { timeout: 300000 });
    assert.equal(await page.$eval(sel, (w) => w.scalebook.error()), null);

    // Replay from the start, then watch frames advance while the operation plays out.
    await page.$eval(sel, (w) => { w.scalebook.seek(0); w.scalebook.play(true); });
    const m0 = await model(page, sel);
    assert.equal(m0.phase, 'before');
    assert.equal(m0.operation, 'add-node');
    const f0 = await frames(page, sel);
    await page.waitForFunction(([s, f]) => document.querySelector(s).scalebook.frames() >= f + 3, [sel, f0], { timeout: 300000 });

    // During the flight the drawn keys that move are a sample of the moved fraction.
    await page.waitForFunction((s) => document.querySelector(s).scalebook.state().model.phase !== 'before', sel, { timeout: 300000 });
    const a = await canvasStats(page, sel);
    await page.waitForFunction((s) => document.querySelector(s).scalebook.state().model.phase === 'after', sel, { timeout: 300000 });
    const b = await canvasStats(page, sel);
    assert.notEqual(a.hash, b.hash, 'the canvas did not change while the keys moved');

    // The numbers: moved fraction against the ideal 1/(N+1), for both panels.
    const m = await model(page, sel);
    assert.equal(m.runs.length, 2);
    const [consistent, modn] = m.runs;
    assert.equal(consistent.strategy, main);
    assert.equal(modn.strategy, 'mod-n');
    for (const r of m.runs) {
      assert.equal(r.keys, 10000);
      assert.equal(r.nodes_before, n);
      assert.equal(r.nodes_after, n + 1);
      near(r.ideal_fraction, 1 / (n + 1), 1e-6, `${r.strategy} ideal`);
      near(r.moved / r.keys, r.moved_fraction, 1e-6, `${r.strategy} moved_fraction`);
      // The drawn sample tells the same story as the full key set.
      near(r.drawn_moved / r.drawn, r.moved_fraction, 0.05, `${r.strategy} drawn sample`);
    }
    near(consistent.moved / consistent.keys, 1 / (n + 1), main === 'jump' ? 0.02 : 0.05, `${main} moved fraction`);
    near(modn.moved / modn.keys, n / (n + 1), 0.03, 'mod-n moved fraction');
    assert.ok(modn.moved > 3 * consistent.moved, `mod-n should move several times more keys: ${modn.moved} vs ${consistent.moved}`);
    const summary = await page.$eval(sel, (w) => w.scalebook.summary());
    assert.match(summary, new RegExp(`${main}: add-node .* moved [\\d,]+ of 10,000 keys`));
    assert.match(summary, /mod-n: add-node .* moved [\d,]+ of 10,000 keys/);

    // Once the keys have landed nothing animates: the frame counter and the clock stop.
    for (let last = -1, deadline = Date.now() + 120000; ;) {
      const f = await frames(page, sel);
      if (f === last) break;
      assert.ok(Date.now() < deadline, 'the widget kept rendering frames after the animation');
      last = f;
      await sleep(700);
    }
    const idle1 = await page.$eval(sel, (w) => w.scalebook.state());
    await sleep(1500);
    const idle2 = await page.$eval(sel, (w) => w.scalebook.state());
    assert.equal(idle2.frames, idle1.frames, 'frames were rendered with nothing animating');
    assert.equal(idle2.sim_time_us, idle1.sim_time_us);
    assert.equal(idle2.playing, true, 'still playing: idle because the animation is over, not paused');
    assert.ok(idle2.sim_time_us >= 2950000 && idle2.sim_time_us < 4000000, `idle at ${idle2.sim_time_us} us`);
  }
  assert.deepEqual(problems, []);
});

const RING = 'scalebook-widget[strategy="ring"]';
const state = (page, sel) => page.$eval(sel, (w) => w.scalebook.state());
const waitParam = (page, sel, key, value) => page.waitForFunction(([s, k, v]) =>
  document.querySelector(s).scalebook.state().params[k] === v, [sel, key, value], { timeout: 120000 });

test('the in-canvas node buttons change node_count like the parameter panel; disabled at the limits', async (t) => {
  const { page, problems } = await openFixture(t, { viewport: { width: 1000, height: 900 } });
  await widgetsReady(page, 300000);
  await showAndWait(page, RING);
  const w = page.locator(RING);
  let st = await state(page, RING);
  const n0 = Number(st.params.node_count);
  assert.equal(n0, 4);
  assert.deepEqual(st.model.node_buttons, { param: 'node_count', can_add: true, can_remove: true });
  assert.ok(st.controls['sharding:add-node'] && st.controls['sharding:remove-node'], 'the buttons have rects');
  // The page hears about every parameter change made in the canvas.
  await page.$eval(RING, (el) => { el.__events = []; el.addEventListener('scalebook-param', (e) => el.__events.push(e.detail)); });
  const events = () => page.$eval(RING, (el) => el.__events);
  await w.locator('details.sbw-controls > summary').click(); // the DOM controls, to read them back
  const domValue = () => w.getByLabel('Node count value').inputValue();
  assert.equal(await domValue(), String(n0));

  // "+ node": a real click on the button's rectangle.
  let p = await controlPoint(page, RING, 'sharding:add-node');
  await page.mouse.click(p.x, p.y);
  await waitParam(page, RING, 'node_count', String(n0 + 1));
  assert.deepEqual(await events(), [{ key: 'node_count', value: String(n0 + 1) }]);
  assert.equal(await domValue(), String(n0 + 1), 'the DOM control follows');
  assert.match(await page.$eval(RING, (el) => el.scalebook.permalink()), new RegExp(`node_count:${n0 + 1}[,;]`));
  // The model was reconfigured with one node more: its add-node story now moves about
  // K/(N+1) keys for N = n0 + 1 (the readout and the ideal both follow the new N).
  await page.$eval(RING, (el) => el.scalebook.seek(3000000));
  st = await state(page, RING);
  const N = n0 + 1;
  const [ring, modn] = st.model.runs;
  assert.equal(ring.strategy, 'ring');
  assert.equal(ring.nodes_before, N);
  assert.equal(ring.nodes_after, N + 1);
  assert.equal(modn.nodes_before, N, 'the compared strategy runs on the same nodes');
  assert.equal(st.model.phase, 'after');
  near(ring.ideal_fraction, 1 / (N + 1), 1e-6, 'ring ideal');
  near(ring.moved / ring.keys, 1 / (N + 1), 0.05, 'ring moved fraction');
  assert.match(await page.$eval(RING, (el) => el.scalebook.summary()), /ring: add-node .* moved [\d,]+ of 10,000 keys/);

  // "− node" brings it back.
  p = await controlPoint(page, RING, 'sharding:remove-node');
  await page.mouse.click(p.x, p.y);
  await waitParam(page, RING, 'node_count', String(n0));
  assert.deepEqual(await events(), [{ key: 'node_count', value: String(n0 + 1) }, { key: 'node_count', value: String(n0) }]);
  assert.equal(await domValue(), String(n0));
  assert.match(await page.$eval(RING, (el) => el.scalebook.permalink()), new RegExp(`node_count:${n0}[,;]`));
  st = await state(page, RING);
  assert.equal(st.model.runs[0].nodes_before, n0);

  // At the schema's minimum "− node" is disabled: a click changes nothing.
  assert.equal(await page.$eval(RING, (el) => el.scalebook.setParam('node_count', '1')), '');
  await page.waitForFunction((s) => document.querySelector(s).scalebook.state().model.node_buttons.can_remove === false, RING);
  const f0 = await page.$eval(RING, (el) => el.scalebook.frames());
  p = await controlPoint(page, RING, 'sharding:remove-node');
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction(([s, f]) => document.querySelector(s).scalebook.frames() >= f + 3, [RING, f0], { timeout: 120000 });
  st = await state(page, RING);
  assert.equal(st.params.node_count, '1');
  assert.equal(st.model.node_buttons.can_add, true);
  assert.equal((await events()).length, 2, 'no change reported');
  // …and "+ node" still works from there.
  p = await controlPoint(page, RING, 'sharding:add-node');
  await page.mouse.click(p.x, p.y);
  await waitParam(page, RING, 'node_count', '2');
  assert.equal(await domValue(), '2');
  assert.deepEqual(problems, []);
});

test('on a phone-width canvas the node buttons fit beside the header, clear of the toolbar, and work', async (t) => {
  const { page, problems } = await openFixture(t, { viewport: { width: 375, height: 800 }, dpr: 2 });
  await widgetsReady(page, 300000);
  await showAndWait(page, RING);
  const st = await state(page, RING);
  const canvas = await page.$eval(RING, (el) => { const r = el.querySelector('canvas').getBoundingClientRect(); return [r.width, r.height]; });
  const toolbarBottom = Math.max(...Object.entries(st.controls).filter(([k]) => !k.startsWith('sharding:')).map(([, r]) => r[1] + r[3]));
  const add = st.controls['sharding:add-node'], remove = st.controls['sharding:remove-node'];
  for (const [name, r] of [['add', add], ['remove', remove]]) {
    assert.ok(r, `${name} button rect`);
    assert.ok(r[0] >= 0 && r[0] + r[2] <= canvas[0] + 0.5, `${name} button inside the canvas: ${r} in ${canvas}`);
    assert.ok(r[1] >= toolbarBottom, `${name} button below the toolbar (${toolbarBottom}): ${r}`);
    assert.ok(r[2] >= 16 && r[3] >= 14, `${name} button big enough to hit: ${r}`);
  }
  assert.ok(remove[0] + remove[2] <= add[0], 'side by side, not overlapping');
  const p = await controlPoint(page, RING, 'sharding:add-node');
  await page.mouse.click(p.x, p.y);
  await waitParam(page, RING, 'node_count', '5');
  assert.deepEqual(problems, []);
});

test('a combination the widget cannot run or show is refused on the page, never substituted', async (t) => {
  const { page, problems } = await openFixture(t, { viewport: { width: 1000, height: 900 } });
  await widgetsReady(page, 300000);
  await showAndWait(page, RING);
  await page.$eval(RING, (el) => el.scalebook.play(false));
  const before = await state(page, RING);
  const refused = [
    ['operation', 'split-hot-range', "parameter 'operation': split-hot-range needs strategy=range"],
    ['keys', '300000', "parameter 'keys': the widget places at most 200,000 keys (scalebook sim sharding takes more)"],
    ['buckets', '5000', "parameter 'buckets': the widget draws at most 1000 nodes (scalebook sim sharding takes more)"]
  ];
  for (const [key, value, message] of refused)
    assert.equal(await page.$eval(RING, (el, [k, v]) => el.scalebook.setParam(k, v), [key, value]), message);
  const after = await state(page, RING);
  assert.deepEqual(after.params, before.params, 'nothing changed');
  assert.deepEqual(after.model.runs, before.model.runs);
  assert.equal(after.builds, before.builds, 'not rebuilt');
  // At the limit: accepted, and run as asked.
  assert.equal(await page.$eval(RING, (el) => el.scalebook.setParam('keys', '200000')), '');
  await page.$eval(RING, (el) => el.scalebook.seek(3000000));
  const big = await state(page, RING);
  assert.equal(big.model.runs[0].keys, 200000);
  assert.deepEqual(problems, []);
});
