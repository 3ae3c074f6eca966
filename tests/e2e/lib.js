// Shared helpers for the browser tests: a static server, Chromium via playwright-core,
// error collection and canvas pixel statistics.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
// Overridable so an engineer can test with their own build directories.
const TOOL = process.env.SCALEBOOK_TOOL || path.join(ROOT, 'build', 'native', 'src', 'cli', 'scalebook');
const BUNDLE = process.env.SCALEBOOK_BUNDLE || path.join(ROOT, 'build', 'wasm', 'bundle');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png',
  '.webmanifest': 'application/manifest+json', '.xml': 'application/xml', '.txt': 'text/plain', '.ico': 'image/x-icon'
};

// Serves `root` on 127.0.0.1 (random port). Returns { url, close, requests }.
function serve(root) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    requests.push(u.pathname);
    let p = path.join(root, decodeURIComponent(u.pathname));
    if (!p.startsWith(root)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) p = path.join(p, 'index.html');
    fs.readFile(p, (err, data) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': MIME[path.extname(p)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    resolve({ url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(r)) });
  }));
}

// Builds a fixture book with the real tool into build/e2e/<name>/ and returns its folder.
function buildFixture(name) {
  const out = path.join(ROOT, 'build', 'e2e', name);
  execFileSync(TOOL, ['build', '--content', path.join(__dirname, 'fixtures', name), '--out', out, '--bundle', BUNDLE],
    { stdio: 'pipe' });
  return out;
}

// Two ways to run Chromium on a machine without a GPU (these machines have none):
//  'software':    what Chromium does by itself there: the page is rastered and composited
//                 in software, WebGL runs on SwiftShader (chrome://gpu: "Compositing:
//                 Software only", "WebGL: Software only").
//  'swiftshader': SwiftShader posing as a GPU for everything (--use-angle=swiftshader):
//                 raster and compositing also go through the emulated GPU, which no reader's
//                 browser does, and every WebGL call queues behind that work.
// The tests use 'swiftshader' unless SCALEBOOK_GPU says otherwise; tools/perf-report times
// the first widget frame in both (the budget is held in 'software').
const GPU_ARGS = {
  software: ['--enable-unsafe-swiftshader'],
  swiftshader: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader']
};
async function launch(opts = {}) {
  const gpu = opts.gpu || process.env.SCALEBOOK_GPU || 'swiftshader';
  if (!GPU_ARGS[gpu]) throw new Error(`unknown GPU mode ${gpu} (expected ${Object.keys(GPU_ARGS).join(' or ')})`);
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...GPU_ARGS[gpu], '--no-sandbox', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-features=Translate']
  });
}

// Opens a page that records console errors, page errors, failed and outside requests.
async function open(browser, url, opts = {}) {
  const context = await browser.newContext({ viewport: opts.viewport || { width: 1100, height: 900 },
    deviceScaleFactor: opts.dpr || 1, reducedMotion: opts.reducedMotion || 'no-preference', hasTouch: !!opts.hasTouch });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('requestfailed', (r) => problems.push('requestfailed: ' + r.url()));
  page.on('request', (r) => {
    const u = r.url();
    if (!(u.startsWith(url.split('/').slice(0, 3).join('/')) || u.startsWith('file:') || u.startsWith('data:') || u.startsWith('blob:')))
      problems.push('outside request: ' + u);
  });
  await page.goto(url);
  return { page, context, problems };
}

// Waits until every widget on the page started (or failed).
async function widgetsReady(page, timeout = 30000) {
  await page.waitForFunction(() => Array.from(document.querySelectorAll('scalebook-widget'))
    .every((w) => w.scalebook && (w.scalebook.ready() || w.scalebook.error())), null, { timeout });
}

// Starts every widget on the page (they start lazily, near the viewport): scrolls each into
// view until it has begun starting, then waits until all are ready or show an error.
// Leaves the page scrolled to the last widget.
async function startWidgets(page, timeout = 60000) {
  const n = await page.locator('scalebook-widget').count();
  for (let k = 0; k < n; k++) {
    await page.evaluate((k) => document.querySelectorAll('scalebook-widget')[k].scrollIntoView({ block: 'center' }), k);
    await page.waitForFunction((k) => document.querySelectorAll('scalebook-widget')[k].querySelector('.sbw-loading, canvas, .sbw-error'),
      k, { timeout });
  }
  await widgetsReady(page, timeout);
  return n;
}

// Pixel statistics of a widget's canvas: how many pixels differ from the top-left
// background pixel, and a hash of the image (to tell two frames apart).
async function canvasStats(page, selector) {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel).querySelector('canvas');
    const t = document.createElement('canvas');
    t.width = c.width; t.height = c.height;
    const g = t.getContext('2d');
    g.drawImage(c, 0, 0);
    const d = g.getImageData(0, 0, t.width, t.height).data;
    const bg = [d[0], d[1], d[2]];
    let differing = 0, hash = 2166136261;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 24) differing++;
      hash = Math.imul(hash ^ (d[i] * 31 + d[i + 1] * 7 + d[i + 2]), 16777619) >>> 0;
    }
    return { differing, total: d.length / 4, hash };
  }, selector);
}

// Writes the widget loader to `file` as `scalebook build` ships it (web/loader/ assembled by
// src/site/loader.h), with the real tool. Pages a test or tool builds by hand use this.
function writeLoader(file, tool = TOOL) {
  execFileSync(tool, ['loader', '--out', file], { stdio: 'pipe' });
  return file;
}

module.exports = { ROOT, TOOL, BUNDLE, serve, writeLoader, buildFixture, launch, open, widgetsReady, startWidgets, canvasStats };
