// Helpers for the widget-runtime browser tests (runtime_*.test.js): each test file builds
// the runtime fixture book into its own folder (test files may run in parallel).
'use strict';
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, TOOL, BUNDLE, serve, launch } = require('./lib');

function buildRuntimeFixture(tag) {
  const out = path.join(ROOT, 'build', 'e2e', 'runtime-' + tag);
  execFileSync(TOOL, ['build', '--content', path.join(__dirname, 'fixtures', 'runtime'), '--out', out, '--bundle', BUNDLE],
    { stdio: 'pipe' });
  return out;
}

// { dir, server, browser, close() } for one test file.
async function setup(tag) {
  const dir = buildRuntimeFixture(tag);
  const server = await serve(dir);
  const browser = await launch();
  return { dir, server, browser, close: async () => { await browser.close(); await server.close(); } };
}

const state = (page, sel) => page.$eval(sel, (w) => w.scalebook.state());
const frames = (page, sel) => page.$eval(sel, (w) => w.scalebook.frames());

// Generous timeouts: SwiftShader on a loaded 2-core machine can drop to a few frames a second.
async function waitFrames(page, sel, atLeast, timeout = 60000) {
  await page.waitForFunction(([s, n]) => {
    const w = document.querySelector(s);
    return w && w.scalebook && w.scalebook.ready() && w.scalebook.frames() >= n;
  }, [sel, atLeast], { timeout });
}

// Waits for a widget to start and render, after scrolling it into view.
async function showAndWait(page, sel, n = 2) {
  await page.$eval(sel, (w) => w.scrollIntoView({ block: 'center' }));
  await waitFrames(page, sel, n);
}

// Page coordinates (CSS px) of the centre of an in-canvas control, from the test hook.
async function controlPoint(page, sel, key, fx = 0.5) {
  return page.$eval(sel, (w, [k, f]) => {
    const r = w.scalebook.state().controls[k];
    if (!r) return null;
    const c = w.querySelector('canvas').getBoundingClientRect();
    return { x: c.left + r[0] + r[2] * f, y: c.top + r[1] + r[3] / 2, w: r[2] };
  }, [key, fx]);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// controlPoint once the control has stopped moving: its rectangle (and the canvas's) the
// same in two reads 120 ms apart, with either no frame drawn in between (an idle widget
// draws none: nothing can have moved) or at least two (ImGui laid the window out again).
// A control that has just appeared can still move while ImGui fits the window around new
// rows (the canvas toolbar's actions row did, once in CI), and a click aimed at its
// first-frame position lands beside it.
async function settledControlPoint(page, sel, key, fx = 0.5, timeout = 20000) {
  const until = Date.now() + timeout;
  const read = () => page.$eval(sel, (w, k) => {
    const r = w.scalebook.state().controls[k];
    const c = w.querySelector('canvas').getBoundingClientRect();
    return { rect: r ? JSON.stringify([r, c.left, c.top]) : null, frames: w.scalebook.frames() };
  }, key);
  for (;;) {
    const a = await read();
    await sleep(120);
    const b = await read();
    if (a.rect !== null && a.rect === b.rect && (b.frames === a.frames || b.frames >= a.frames + 2))
      return controlPoint(page, sel, key, fx);
    if (Date.now() > until) throw new Error(`control ${key} did not settle within ${timeout} ms (last ${b.rect})`);
  }
}

module.exports = { buildRuntimeFixture, setup, state, frames, waitFrames, showAndWait, controlPoint, settledControlPoint, sleep };
