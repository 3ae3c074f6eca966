// The fanout widget in the browser (src/widgets/fanout/: scenario and view): after the celebrity
// post, pure push's backlog and delivery p99 rise far above the hybrid's (and above
// the 5 s target); the charts gain samples as simulated time passes, sampled on
// simulated time so stepping and seeking give the same state; pull pays at read time.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { buildFixture, serve, launch, open, widgetsReady, canvasStats } = require('./lib');

const HYBRID = 'scalebook-widget[strategy="hybrid"]';
const PULL = 'scalebook-widget[strategy="pull"]';
const state = (page, sel) => page.$eval(sel, (w) => w.scalebook.state());
const call = (page, sel, fn, ...args) => page.$eval(sel, (w, [f, a]) => w.scalebook[f](...a), [fn, args]);
const lane = (st, name) => st.model.lanes.find((l) => l.strategy === name);

test('fanout: push explodes on the celebrity post, the hybrid stays flat, charts sample on simulated time', async () => {
  const dir = buildFixture('fanout');
  const server = await serve(dir);
  const browser = await launch();
  try {
    const { page, problems } = await open(browser, `${server.url}/fanout.html`, { viewport: { width: 1100, height: 1400 } });
    await widgetsReady(page, 300000);
    for (const sel of [HYBRID, PULL]) assert.equal(await call(page, sel, 'error'), null);
    await page.waitForFunction((s) => document.querySelector(s).scalebook.frames() >= 2, HYBRID, { timeout: 300000 });

    // Before the celebrities post (at 3 s by default) both strategies keep up.
    await call(page, HYBRID, 'play', false);
    await call(page, HYBRID, 'seek', 2500000);
    const before = await state(page, HYBRID);
    assert.deepEqual(before.model.lanes.map((l) => l.strategy), ['hybrid', 'push']);
    const pushBefore = lane(before, 'push'), hybridBefore = lane(before, 'hybrid');
    assert.equal(pushBefore.chart.period_us, 100000);
    assert.equal(pushBefore.chart.samples, 26, 'samples at 0, 0.1, … 2.5 s');
    assert.equal(hybridBefore.chart.samples, 26);
    assert.ok(pushBefore.chart.p99_ms < 5000, `push p99 before the celebrity post: ${pushBefore.chart.p99_ms} ms`);
    assert.equal(pushBefore.timeline_digest, hybridBefore.timeline_digest);

    // After: push queues every celebrity follower's insert; its backlog and p99 explode.
    await call(page, HYBRID, 'seek', 8000000);
    const after = await state(page, HYBRID);
    const push = lane(after, 'push'), hybrid = lane(after, 'hybrid');
    assert.equal(push.chart.samples, 81, 'the chart gained a sample every 100 ms of simulated time');
    assert.ok(push.chart.samples > pushBefore.chart.samples);
    assert.ok(push.backlog > 10 * Math.max(1, hybrid.backlog), `backlog push ${push.backlog} vs hybrid ${hybrid.backlog}`);
    assert.ok(push.chart.backlog_max > 10 * Math.max(1, hybrid.chart.backlog_max),
      `charted backlog push ${push.chart.backlog_max} vs hybrid ${hybrid.chart.backlog_max}`);
    assert.ok(push.chart.p99_ms > 60000, `push p99 of recent posts ${push.chart.p99_ms} ms, expected over a minute`);
    assert.ok(hybrid.chart.p99_ms_max < 5000, `hybrid p99 stayed under the 5 s target: ${hybrid.chart.p99_ms_max} ms`);
    assert.ok(push.chart.p99_ms > 10 * hybrid.chart.p99_ms);
    assert.ok(push.delivery_p99_us > hybrid.delivery_p99_us);
    // The hybrid pays at read time instead: more fetches per read, fewer inserts per post.
    assert.ok(hybrid.chart.fan_in_x100 > push.chart.fan_in_x100, `fan-in hybrid ${hybrid.chart.fan_in_x100} vs push ${push.chart.fan_in_x100}`);
    assert.ok(push.chart.write_amp_x100 > hybrid.chart.write_amp_x100);
    assert.ok(push.chart.memory_bytes > hybrid.chart.memory_bytes);
    // Same reads, same answers.
    assert.equal(push.timeline_digest, hybrid.timeline_digest);

    // Sampling does not depend on how time is split: 150 steps of 1/30 s == one seek.
    await call(page, HYBRID, 'seek', 0);
    for (let i = 0; i < 150; i++) await call(page, HYBRID, 'step');
    const stepped = await state(page, HYBRID);
    await call(page, HYBRID, 'seek', stepped.sim_time_us);
    const seeked = await state(page, HYBRID);
    assert.equal(stepped.sim_time_us, 150 * 33333);
    assert.deepEqual(stepped.model, seeked.model);
    assert.equal(stepped.digest, seeked.digest);

    // While playing, the sample count grows with simulated time.
    await call(page, HYBRID, 'seek', 0);
    await call(page, HYBRID, 'play', true);
    await page.waitForFunction((s) => document.querySelector(s).scalebook.state().sim_time_us > 300000, HYBRID, { timeout: 300000 });
    const p1 = await state(page, HYBRID);
    await page.waitForFunction(([s, t]) => document.querySelector(s).scalebook.state().sim_time_us > t + 500000,
      [HYBRID, p1.sim_time_us], { timeout: 300000 });
    const p2 = await state(page, HYBRID);
    const n1 = lane(p1, 'push').chart.samples, n2 = lane(p2, 'push').chart.samples;
    assert.ok(n2 > n1, `samples ${n1} → ${n2} over ${p1.sim_time_us} → ${p2.sim_time_us} µs`);
    assert.equal(n2, Math.floor(Math.min(p2.sim_time_us, 20e6) / 100000) + 1);

    // Pull, alone: nothing pushed, nothing queued, no cache — and every read fetches each followee.
    await call(page, PULL, 'play', false);
    await call(page, PULL, 'seek', 8000000);
    const pull = lane(await state(page, PULL), 'pull');
    assert.equal(pull.deliveries, 0);
    assert.equal(pull.chart.backlog_max, 0);
    assert.equal(pull.chart.memory_bytes, 0);
    assert.ok(pull.chart.fan_in_x100 > 20 * 100, `pull fan-in ${pull.chart.fan_in_x100 / 100}`);
    assert.equal(pull.timeline_digest, push.timeline_digest, 'pull answers the same reads as push');

    // CPU time per frame is reported (wall clock, outside the state digest) by the host's
    // sb_perf: its time around advance + draw, and the view's own figures (perf_json): the
    // charts' and the particles' time in each of the last frames.
    const perf = await page.$eval(HYBRID, (w) => JSON.parse(w.__sbw.M.UTF8ToString(w.__sbw.M._sb_perf(w.__sbw.handle))));
    assert.ok(perf.frames > 0, `perf.frames ${perf.frames}`);
    assert.ok(perf.cpu_us_max >= perf.cpu_us_p50 && perf.cpu_us_p50 > 0, JSON.stringify(perf));
    const view = perf.view;
    // The hybrid widget has drawn frames by now, so the view must report them.
    assert.ok(view.frames > 0, `view.frames ${view.frames}`);
    assert.equal(view.charts_cpu_us.length, Math.min(view.frames, 240));
    assert.equal(view.particles_cpu_us.length, view.charts_cpu_us.length);
    assert.ok(view.charts_cpu_us.every((us) => us >= 0) && Math.max(...view.charts_cpu_us) > 0, JSON.stringify(view));
    const pixels = await canvasStats(page, HYBRID);
    assert.ok(pixels.differing > pixels.total * 0.02, `expected drawn charts, got ${pixels.differing}/${pixels.total}`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
