// The sharding widget (src/widgets/sharding) in the browser: an add-node step moves
// about K/(N+1) keys under a consistent-hash ring and jump hash and about N/(N+1) under
// hash mod N, as the test hook reports; the keys' flight is animated (frames advance
// while it runs) and then the widget goes idle (no frames without something to show).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { serve, buildFixture, launch, open, widgetsReady, canvasStats } = require('./lib');

const model = (page, sel) => page.$eval(sel, (w) => w.scalebook.state().model);
const frames = (page, sel) => page.$eval(sel, (w) => w.scalebook.frames());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function near(actual, expected, tolerance, what) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(4)}, expected ${expected.toFixed(4)} ± ${tolerance}`);
}

test('add-node moves ~K/(N+1) keys for ring and jump, ~N/(N+1) for mod-N; frames run only while keys fly', async () => {
  const dir = buildFixture('sharding');
  const server = await serve(dir);
  const browser = await launch();
  try {
    const { page, problems } = await open(browser, `${server.url}/sharding.html`, { viewport: { width: 1000, height: 900 } });
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
  } finally {
    await browser.close();
    await server.close();
  }
});
