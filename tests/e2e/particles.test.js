// Particle renderer (src/render/particles.*) through the hello widget: 100k particles
// draw visibly over the wave, the model reports them live, and they keep moving.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { buildFixture, serve, launch, open, widgetsReady, canvasStats } = require('./lib');

const state = (page, sel) => page.$eval(sel, (w) => w.scalebook.state());
// The host's benchmark hook (sb_perf: CPU per frame, and the hello view's particle counters
// under "view"; see src/platform/web/host.cpp and src/widgets/hello/view.cpp).
const perf = (page, sel) => page.$eval(sel, (w) => JSON.parse(w.__sbw.M.UTF8ToString(w.__sbw.M._sb_perf(w.__sbw.handle))).view);

test('100k particles render over the wave, are reported live, and keep moving', async () => {
  const dir = buildFixture('particles');
  const server = await serve(dir);
  const browser = await launch();
  try {
    const { page, problems } = await open(browser, `${server.url}/particles.html`, { viewport: { width: 1100, height: 1500 } });
    await widgetsReady(page, 300000);
    const withParticles = 'scalebook-widget[particles="100000"]';
    const without = 'scalebook-widget[particles="0"]';
    for (const sel of [withParticles, without]) assert.equal(await page.$eval(sel, (w) => w.scalebook.error()), null);
    await page.waitForFunction((s) => Array.from(document.querySelectorAll(s)).every((w) => w.scalebook.frames() >= 2),
      'scalebook-widget', { timeout: 300000 });

    // The model reports about 100k particles in flight (Little's law: rate × mean trip = 100k).
    const s1 = await state(page, withParticles);
    assert.equal(s1.model.particles, 100000);
    assert.ok(Math.abs(s1.model.live_particles - 100000) < 3000, `live particles ${s1.model.live_particles}`);
    const p1 = await perf(page, withParticles);
    assert.equal(p1.dropped_particles, 0, 'the ring buffer overwrote particles still in flight');
    const s0 = await state(page, without);
    assert.equal(s0.model.live_particles, 0);

    // Non-background pixels: the particles add many over the same wave.
    const a = await canvasStats(page, withParticles);
    const base = await canvasStats(page, without);
    assert.ok(a.differing > a.total * 0.05, `expected drawn pixels, got ${a.differing}/${a.total}`);
    assert.ok(a.differing > base.differing + a.total * 0.03,
      `particles should cover more pixels than the bare wave: ${a.differing} vs ${base.differing} of ${a.total}`);

    // It keeps animating: frames advance, time and emissions grow, the picture changes.
    await page.waitForFunction(([s, f]) => document.querySelector(s).scalebook.frames() >= f + 2,
      [withParticles, s1.frames], { timeout: 300000 });
    const s2 = await state(page, withParticles);
    const b = await canvasStats(page, withParticles);
    assert.ok(s2.sim_time_us > s1.sim_time_us, 'simulated time did not advance');
    const p2 = await perf(page, withParticles);
    assert.ok(p2.emitted_particles > p1.emitted_particles, 'no new particles were emitted');
    assert.equal(p2.dropped_particles, 0, 'the ring buffer overwrote particles still in flight');
    assert.ok(Math.abs(s2.model.live_particles - 100000) < 3000, `live particles ${s2.model.live_particles}`);
    assert.notEqual(a.hash, b.hash, 'the canvas did not change between frames');

    // WebGL context loss and restore: the renderer rebuilds its GL objects and re-uploads
    // the particles it kept on the CPU, so the stream carries on.
    await page.$eval(withParticles, (w) => {
      window.__loseContext = w.querySelector('canvas').getContext('webgl2').getExtension('WEBGL_lose_context');
      window.__loseContext.loseContext();
    });
    await page.waitForFunction((s) => document.querySelector(s).scalebook.state().gl === false, withParticles, { timeout: 300000 });
    await page.evaluate(() => window.__loseContext.restoreContext());
    const s3 = await state(page, withParticles);
    await page.waitForFunction(([s, f]) => document.querySelector(s).scalebook.state().gl && document.querySelector(s).scalebook.frames() >= f + 2,
      [withParticles, s3.frames], { timeout: 300000 });
    const c = await canvasStats(page, withParticles);
    assert.ok(c.differing > base.differing + c.total * 0.03, `no particles after the context came back: ${c.differing} vs ${base.differing}`);
    assert.ok(Math.abs((await state(page, withParticles)).model.live_particles - 100000) < 3000);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
