#!/usr/bin/env node
// tools/perf-particles.js — the particle renderer's benchmark (prints numbers; not a test).
//
// For each particle count it serves a page with one
//   <scalebook-widget name="hello" particles="N">
// (web/scalebook.js + the Wasm bundle), opens it in headless Chromium, and measures
//   - page side: performance.now() around every Module._sb_frame call (all Wasm work of a
//     frame: advance, particle emission and upload, wave + particle GL calls, ImGui, and the
//     WebGL command submission; not the GPU's own work, which runs in Chromium's GPU process);
//   - C++ side: the hello view's own advance+draw CPU time (emscripten_get_now), which the
//     host measures around advance and draw, reported by Module._sb_perf(handle) (p50/p95
//     over its last 240 frames, with the view's particle counters under "view");
//   - the same minus the time blocked in synchronous WebGL getParameter calls (see below):
//     the Wasm + JS-glue CPU cost of a frame without waiting for the GPU process;
//   - the frame interval (requestAnimationFrame to requestAnimationFrame).
// Usage: node tools/perf-particles.js [--bundle DIR] [--frames N] [--warmup N] [--counts 0,10000,100000]
//                                      [--dpr 1] [--screenshots DIR]
// Headless Chromium renders WebGL with SwiftShader (a CPU implementation), so the frame
// interval reflects this machine's CPU, not a GPU.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { serve, launch, writeLoader } = require('../tests/e2e/lib');

const ROOT = path.resolve(__dirname, '..');
const args = { bundle: path.join(ROOT, 'build', 'wasm', 'bundle'), frames: 300, warmup: 30, counts: '0,10000,100000', dpr: 1, screenshots: '' };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in args)) { console.error(`error: unknown option --${k}`); process.exit(2); }
  args[k] = process.argv[i + 1];
}
const counts = String(args.counts).split(',').map(Number);
const frames = Number(args.frames);

function pct(xs, p) {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

function sitePage(dir, n) {
  fs.writeFileSync(path.join(dir, `p${n}.html`), `<!doctype html><html data-theme="light"><head><meta charset="utf-8">
<title>particles ${n}</title><style>body{margin:0;padding:16px;background:#fff}</style>
<script src="scalebook.js" defer></script></head><body>
<scalebook-widget name="hello" particles="${n}" style="width:960px"></scalebook-widget></body></html>`);
}

async function measure(browser, url, n, dpr, screenshot) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 500 }, deviceScaleFactor: dpr });
  const page = await context.newPage();
  // Time spent blocked in WebGL getParameter: in Chromium some pnames (SCISSOR_BOX,
  // BLEND_SRC_RGB, read by ImGui's GL backend to back up state) are a synchronous round
  // trip to the GPU process, which waits until the frame's queued GL work has executed.
  await page.addInitScript(() => {
    const P = WebGL2RenderingContext.prototype, f = P.getParameter;
    window.__syncMs = 0;
    P.getParameter = function (pname) { const t = performance.now(); const r = f.call(this, pname); window.__syncMs += performance.now() - t; return r; };
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}/p${n}.html`);
  await page.waitForFunction(() => { const w = document.querySelector('scalebook-widget'); return w.scalebook && w.scalebook.ready(); },
    null, { timeout: 60000 });
  // Wrap the module's _sb_frame: web/scalebook.js looks it up on every frame.
  await page.evaluate(([want, warmup]) => {
    const M = document.querySelector('scalebook-widget').__sbw.M;
    const inner = M._sb_frame;
    window.__perf = { cost: [], cpu: [], interval: [], last: 0, skip: warmup, want };
    M._sb_frame = function (h, now) {
      const s0 = window.__syncMs, t0 = performance.now();
      const r = inner(h, now);
      const t1 = performance.now();
      const p = window.__perf;
      if (p.skip > 0) p.skip--;
      else if (p.cost.length < p.want) {
        p.cost.push(t1 - t0);
        p.cpu.push(t1 - t0 - (window.__syncMs - s0));
        if (p.last) p.interval.push(now - p.last);
      }
      p.last = now;
      return r;
    };
  }, [frames, Number(args.warmup)]);
  await page.waitForFunction(() => window.__perf.cost.length >= window.__perf.want, null, { timeout: 600000, polling: 500 });
  const r = await page.evaluate(() => {
    const w = document.querySelector('scalebook-widget');
    return { perf: window.__perf, view: JSON.parse(w.__sbw.M.UTF8ToString(w.__sbw.M._sb_perf(w.__sbw.handle))), state: w.scalebook.state() };
  });
  if (screenshot) {
    // The canvas's last presented frame, copied through a 2D canvas (as tests/e2e/lib.js does).
    const url = await page.evaluate(() => {
      const c = document.querySelector('scalebook-widget canvas');
      const t = document.createElement('canvas');
      t.width = c.width; t.height = c.height;
      t.getContext('2d').drawImage(c, 0, 0);
      return t.toDataURL('image/png');
    });
    fs.writeFileSync(screenshot, Buffer.from(url.split(',')[1], 'base64'));
  }
  await context.close();
  if (errors.length) throw new Error(errors.join('\n'));
  return {
    n, dpr,
    frame_ms_p50: pct(r.perf.cost, 0.5), frame_ms_p95: pct(r.perf.cost, 0.95),
    cpu_ms_p50: pct(r.perf.cpu, 0.5), cpu_ms_p95: pct(r.perf.cpu, 0.95),
    view_us_p50: r.view.cpu_us_p50, view_us_p95: r.view.cpu_us_p95, upload: r.view.view.upload_bytes, fb: r.state.fb,
    interval_ms_p50: pct(r.perf.interval, 0.5), live: r.view.view.live_particles, dropped: r.view.view.dropped_particles
  };
}

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-perf-'));
  writeLoader(path.join(dir, 'scalebook.js'));
  for (const f of fs.readdirSync(args.bundle)) fs.copyFileSync(path.join(args.bundle, f), path.join(dir, f));
  for (const n of counts) sitePage(dir, n);
  const server = await serve(dir);
  const browser = await launch();
  try {
    console.log(`particles  dpr  framebuffer  _sb_frame p50/p95 (ms)  minus GPU sync p50/p95 (ms)  view C++ p50/p95 (µs)  upload B/frame  frame interval p50 (ms)  live`);
    for (const n of counts) {
      const shot = args.screenshots ? path.join(args.screenshots, `particles-${n}-${args.dpr}x.png`) : '';
      if (shot) fs.mkdirSync(args.screenshots, { recursive: true });
      const m = await measure(browser, server.url, n, Number(args.dpr), shot);
      console.log(`${String(n).padStart(9)}  ${String(m.dpr).padStart(3)}  ${m.fb.join('×').padStart(11)}  ${m.frame_ms_p50.toFixed(2).padStart(10)} / ${m.frame_ms_p95.toFixed(2).padEnd(9)}  ${m.cpu_ms_p50.toFixed(2).padStart(13)} / ${m.cpu_ms_p95.toFixed(2).padEnd(12)}` +
        `  ${m.view_us_p50.toFixed(0).padStart(10)} / ${m.view_us_p95.toFixed(0).padEnd(9)}  ${String(m.upload).padStart(14)}  ${m.interval_ms_p50.toFixed(1).padStart(23)}  ${m.live}` +
        (m.dropped ? `  (dropped ${m.dropped})` : ''));
    }
    console.log(`(${frames} frames each after ${args.warmup} warm-up frames; Chromium ${browser.version()}, WebGL via SwiftShader; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => { console.error(`error: ${e.message}`); process.exit(1); });
