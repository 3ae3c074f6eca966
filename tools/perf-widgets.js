#!/usr/bin/env node
// tools/perf-widgets.js — widget runtime benchmark (prints numbers; not a test).
//
//   node tools/perf-widgets.js [--bundle DIR] [--seconds N] [--skip-frames] [--skip-instances] [--json]
//
// Measures, in headless Chromium (SwiftShader WebGL2, like the browser tests):
//  1. per-frame Wasm CPU time p50/p95: performance.now() around each sb_frame call
//     (the loader's measurement mode, <script data-measure>), hello widget with 0, 10k
//     and 100k particles, one widget on the page;
//  2. time from navigation start to the first widget frame (performance mark
//     'scalebook-first-frame' set by the loader);
//  3. bundle size raw and gzip -9 (the files a page loads);
//  4. one Wasm instance per widget vs one instance for all canvases: instantiate time,
//     Wasm linear memory, JS heap and the renderer/GPU processes' RSS, 12 widgets.
// SwiftShader renders on the CPU: GPU-bound numbers are far worse than on real GPUs;
// the Wasm CPU time is what the widget code itself costs.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');
const { serve, ROOT, writeLoader } = require('../tests/e2e/lib');

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const BUNDLE = path.resolve(opt('--bundle', process.env.SCALEBOOK_BUNDLE || path.join(ROOT, 'build', 'wasm', 'bundle')));
const SECONDS = Number(opt('--seconds', '4'));
const CHROME_ARGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'];

function pct(xs, p) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
}
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const kb = (n) => (n / 1024).toFixed(1) + ' KB';

// A scratch site: the loader + bundle and one page per scenario.
function makeSite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-perf-'));
  for (const f of fs.readdirSync(BUNDLE)) fs.copyFileSync(path.join(BUNDLE, f), path.join(dir, f));
  writeLoader(path.join(dir, 'scalebook.js'));
  const page = (name, body, scriptAttrs) => fs.writeFileSync(path.join(dir, name),
    `<!doctype html><html data-theme="light"><head><meta charset="utf-8"><title>${name}</title>` +
    `<style>body{margin:0;padding:8px;font:14px system-ui}scalebook-widget{margin:4px 0}</style>` +
    `<script src="scalebook.js" ${scriptAttrs} defer></script></head><body>${body}</body></html>`);
  for (const n of [0, 10000, 100000])
    page(`frame-${n}.html`, `<scalebook-widget name="hello" particles="${n}" style="--sb-widget-height:360px"></scalebook-widget>`, 'data-measure');
  const many = Array.from({ length: 12 }, (_, i) => `<scalebook-widget name="hello" waves="${(i % 12) + 1}" style="--sb-widget-height:60px"></scalebook-widget>`).join('\n');
  page('many-per-widget.html', many, 'data-measure');
  page('many-shared.html', many, 'data-measure data-instance="shared"');
  return dir;
}

// RSS (KB) of a process tree's renderer and GPU processes, from ps.
function treeRss(rootPid) {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' }).trim().split('\n').map((l) => {
    const m = l.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/);
    return m && { pid: +m[1], ppid: +m[2], rss: +m[3], args: m[4] };
  }).filter(Boolean);
  const inTree = new Set([rootPid]);
  let grew = true;
  while (grew) { grew = false; for (const r of rows) if (!inTree.has(r.pid) && inTree.has(r.ppid)) { inTree.add(r.pid); grew = true; } }
  const sum = (re) => rows.filter((r) => inTree.has(r.pid) && re.test(r.args)).reduce((a, r) => a + r.rss, 0);
  return { renderer: sum(/--type=renderer/), gpu: sum(/--type=gpu-process/) };
}

async function main() {
  if (!fs.existsSync(path.join(BUNDLE, 'scalebook-widgets.wasm'))) throw new Error(`no bundle in ${BUNDLE} (build scalebook-widgets, or pass --bundle)`);
  const dir = makeSite();
  const server = await serve(dir);
  const out = {};

  // 3. bundle size
  console.log('Bundle (raw / gzip -9):');
  let total = [0, 0];
  for (const f of ['scalebook.js', 'scalebook-widgets.js', 'scalebook-widgets.wasm', 'scalebook-widgets.wasm.js']) {
    const buf = fs.readFileSync(path.join(dir, f));
    const gz = zlib.gzipSync(buf, { level: 9 }).length;
    console.log(`  ${f.padEnd(28)} ${kb(buf.length).padStart(10)} ${kb(gz).padStart(10)}`);
    if (f !== 'scalebook-widgets.wasm') { total[0] += buf.length; total[1] += gz; }
  }
  console.log(`  ${'page loads (loader+glue+wasm.js)'.padEnd(28)} ${kb(total[0]).padStart(10)} ${kb(total[1]).padStart(10)}`);

  const server2 = await chromium.launchServer({ executablePath: '/usr/bin/chromium', args: CHROME_ARGS });
  const browser = await chromium.connect(server2.wsEndpoint());
  const browserPid = server2.process().pid;
  try {
    // 1 + 2. frame time and first frame
    console.log(`\nPer-frame Wasm CPU time (sb_frame), one hello widget 1000×360 CSS px, ${SECONDS} s each:`);
    for (const n of args.includes('--skip-frames') ? [] : [0, 10000, 100000]) {
      const ctx = await browser.newContext({ viewport: { width: 1016, height: 420 } });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/frame-${n}.html`);
      await page.waitForFunction(() => { const w = document.querySelector('scalebook-widget'); return w.scalebook && w.scalebook.ready() && w.scalebook.frames() > 5; }, null, { timeout: 120000 });
      const first = await page.evaluate(() => { const m = performance.getEntriesByName('scalebook-first-frame')[0]; return m ? m.startTime : NaN; });
      await page.evaluate(() => { window.__scalebookFrameTimes = []; });
      await page.waitForTimeout(SECONDS * 1000);
      const times = await page.evaluate(() => window.__scalebookFrameTimes);
      const st = await page.$eval('scalebook-widget', (w) => w.scalebook.state());
      const fps = times.length / SECONDS;
      console.log(`  particles=${String(n).padEnd(7)} p50 ${f2(pct(times, 0.5))} ms  p95 ${f2(pct(times, 0.95))} ms  (${times.length} frames, ${fps.toFixed(1)} fps; live ${st.model.live_particles ?? 'n/a'}); navigation → first frame ${f2(first)} ms`);
      const vp = st.model && st.model.perf; // the hello view's own advance+draw CPU, if it reports it
      if (vp) console.log(`      of which the view's advance+draw (model side, no GL submission): p50 ${vp.view_cpu_us_p50} µs  p95 ${vp.view_cpu_us_p95} µs`);
      out['frame_' + n] = { p50: pct(times, 0.5), p95: pct(times, 0.95), frames: times.length, first_frame_ms: first, view: vp || null };
      await ctx.close();
    }

    // 4. instances
    if (!args.includes('--skip-instances')) {
      console.log('\nOne instance per widget vs one shared instance (12 hello widgets, all on screen):');
      for (const mode of ['per-widget', 'shared']) {
        const ctx = await browser.newContext({ viewport: { width: 800, height: 1600 } });
        const page = await ctx.newPage();
        const before = treeRss(browserPid);
        const t0 = Date.now();
        await page.goto(`${server.url}/many-${mode}.html`);
        await page.waitForFunction(() => Array.from(document.querySelectorAll('scalebook-widget')).every((w) => w.scalebook && w.scalebook.ready() && w.scalebook.frames() >= 1), null, { timeout: 300000 });
        const ready = Date.now() - t0;
        await page.waitForTimeout(1500);
        const m = await page.evaluate(() => {
          const ws = Array.from(document.querySelectorAll('scalebook-widget'));
          const mods = new Set(ws.map((w) => w.__sbw.M));
          let wasm = 0;
          mods.forEach((M) => {
            if (M.HEAPU8) { wasm += M.HEAPU8.length; return; }
            const mem = M.asm && Object.values(M.asm).find((v) => v instanceof WebAssembly.Memory);
            if (mem) wasm += mem.buffer.byteLength;
          });
          return { instances: mods.size, wasm, heap: performance.memory ? performance.memory.usedJSHeapSize : NaN,
            inst: (window.__scalebookInstantiateMs || []), lost: ws.filter((w) => w.scalebook.contextLosses() > 0).length };
        });
        const after = treeRss(browserPid);
        const instSum = m.inst.reduce((a, b) => a + b, 0);
        console.log(`  ${mode.padEnd(10)} instances ${m.instances}, instantiate total ${f2(instSum)} ms (each ${f2(instSum / Math.max(1, m.inst.length))} ms), ` +
          `Wasm memory ${(m.wasm / 1048576).toFixed(1)} MB, JS heap ${(m.heap / 1048576).toFixed(1)} MB, ` +
          `renderer RSS ${(after.renderer / 1024).toFixed(0)} MB, GPU process RSS ${(after.gpu / 1024).toFixed(0)} MB, all ready in ${ready} ms, contexts lost ${m.lost}`);
        out['instances_' + mode] = { ...m, instantiate_total_ms: instSum, renderer_rss_kb: after.renderer, gpu_rss_kb: after.gpu, ready_ms: ready, rss_before: before };
        await ctx.close();
      }
    }
  } finally {
    await browser.close();
    await server2.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (args.includes('--json')) console.log(JSON.stringify(out));
}

main().catch((e) => { console.error('perf-widgets: ' + (e && e.message ? e.message : e)); process.exit(1); });
