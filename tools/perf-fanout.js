#!/usr/bin/env node
// tools/perf-fanout.js — per-frame cost of the fanout widget's view (prints numbers; not a test).
//
//   node tools/perf-fanout.js [--bundle DIR] [--frames N] [--dpr 1|2] [--set name=value ...]
//
// --set adds a widget attribute (a parameter), e.g. the chapter 4.6 fence's
// --set users=30000 --set celebrity_followers=25000.
//
// One fanout widget (the chapter 4.6 setup: hybrid compared with push, defaults
// otherwise) in headless Chromium (SwiftShader WebGL2, like the browser tests),
// 1000 × 380 CSS px, playing at speed 1 and 60 frames per simulated second, from
// three starting times (before, at and after the celebrity post):
//  - the widget's CPU time per frame, advance + draw (model stepping and chart
//    sampling in the scenario; particle emission, chart and particle draw calls in the
//    view), measured by the host around them and read through sb_perf(handle)
//    (reset by sb_perf_reset), p50/p95/max over the frames run;
//  - of that, the charts alone (sampling excluded: it happens in advance) and the
//    particles (emission + GL draw), from the view's own per-frame figures in
//    sb_perf's "view" (the view's perf_json(): each of its last 240 frames);
//  - the whole sb_frame call (the loader's measurement mode, <script data-measure>),
//    which adds ImGui's toolbar, rendering and GL submission. No maximum is printed for
//    it: 120 frames submitted without returning to the event loop queue their GL work
//    in SwiftShader's GPU process, and one call in the run then waits seconds (up to
//    minutes at 30k users) for that queue to drain, a cost of the synchronous loop under
//    a CPU rasteriser, not of a frame.
// SwiftShader renders on the CPU, so GPU-bound numbers are far worse than on real
// GPUs, and GL calls can stall on the GPU process (the particle draw is inside the
// view's draw); the view's CPU time is what this widget's code costs.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { serve, ROOT, writeLoader } = require('../tests/e2e/lib');

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const BUNDLE = path.resolve(opt('--bundle', process.env.SCALEBOOK_BUNDLE || path.join(ROOT, 'build', 'wasm', 'bundle')));
const DPR = Number(opt('--dpr', '1'));
const FRAMES = Number(opt('--frames', '120'));
if (!(FRAMES >= 1 && FRAMES <= 240)) { console.error('error: --frames: 1 … 240 (the view keeps its last 240 frames)'); process.exit(2); }
const SETS = args.flatMap((a, i) => (args[i - 1] === '--set' ? [a] : []));
for (const kv of SETS) if (!/^[a-z_]+=[\w.-]+$/.test(kv)) { console.error(`error: --set ${kv}: expected name=value`); process.exit(2); }
const ATTRS = SETS.map((kv) => { const [k, v] = kv.split('='); return ` ${k}="${v}"`; }).join('');

function pct(xs, p) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
}
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
// p50, p95 and max as the host computes them (src/platform/web/host.cpp perf_json).
function stats(xs) {
  const s = [...xs].sort((a, b) => a - b), k = s.length;
  if (!k) return { p50: NaN, p95: NaN, max: NaN };
  return { p50: s[Math.floor((k - 1) / 2)], p95: s[Math.min(k - 1, Math.floor(0.95 * k))], max: s[k - 1] };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-perf-fanout-'));
  for (const f of fs.readdirSync(BUNDLE)) fs.copyFileSync(path.join(BUNDLE, f), path.join(dir, f));
  writeLoader(path.join(dir, 'scalebook.js'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html data-theme="light"><head><meta charset="utf-8">' +
    '<title>fanout perf</title><style>body{margin:0;padding:8px;font:14px system-ui}</style>' +
    '<script src="scalebook.js" data-measure defer></script></head><body>' +
    `<scalebook-widget name="fanout" strategy="hybrid" compare="push"${ATTRS} paused></scalebook-widget></body></html>`);
  const server = await serve(dir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox'] });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1016, height: 480 }, deviceScaleFactor: DPR });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => { const w = document.querySelector('scalebook-widget'); return w.scalebook && w.scalebook.ready() && w.scalebook.frames() > 1; }, null, { timeout: 300000 });
    console.log(`fanout widget (hybrid vs push${ATTRS}), 1000×380 CSS px at DPR ${DPR}; ${FRAMES} frames of 1/60 s simulated time each,`);
    console.log('driven synchronously (sb_frame called in a loop, so the numbers do not depend on the machine\'s frame rate):');
    for (const [label, from] of [['before the celebrity post', 0], ['celebrity wave (2.9 s →)', 2900000], ['backlog draining (12 s →)', 12000000]]) {
      const r = await page.$eval('scalebook-widget', (w, [from, n]) => {
        const M = w.__sbw.M, h = w.__sbw.handle;
        w.scalebook.play(false);
        const t0 = performance.now();
        w.scalebook.seek(from);
        const seekMs = performance.now() - t0;
        M._sb_play(h, 1);
        let now = performance.now() + 1e6;
        M._sb_frame(h, now);  // sets the host's frame clock
        M._sb_perf_reset(h);
        const view0 = JSON.parse(M.UTF8ToString(M._sb_perf(h))).view.frames;
        const whole = [];
        for (let i = 0; i < n; i++) {
          now += 1000 / 60;
          const a = performance.now();
          M._sb_frame(h, now);
          whole.push(performance.now() - a);
        }
        M._sb_play(h, 0);
        const perf = JSON.parse(M.UTF8ToString(M._sb_perf(h)));
        const k = perf.view.frames - view0;  // the view's frames of this run: the last k of its arrays
        const last = (xs) => (k > 0 ? xs.slice(-k) : []);
        return { seekMs, whole, perf, charts: last(perf.view.charts_cpu_us), particles: last(perf.view.particles_cpu_us),
          t: w.scalebook.state().sim_time_us };
      }, [from, FRAMES]);
      const p = r.perf, c = stats(r.charts), q = stats(r.particles);
      console.log(`  ${label.padEnd(26)} advance+draw p50 ${f2(p.cpu_us_p50 / 1000)} ms  p95 ${f2(p.cpu_us_p95 / 1000)} ms  max ${f2(p.cpu_us_max / 1000)} ms (${p.frames} frames), of which charts p50 ${f2(c.p50 / 1000)} ms  p95 ${f2(c.p95 / 1000)} ms, particles (emit + GL draw) p50 ${f2(q.p50 / 1000)} ms  max ${f2(q.max / 1000)} ms;` +
        `  whole sb_frame p50 ${f2(pct(r.whole, 0.5))} ms  p95 ${f2(pct(r.whole, 0.95))} ms;  seek ${f2(r.seekMs)} ms; ends at t = ${(r.t / 1e6).toFixed(2)} s`);
    }
    await ctx.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
