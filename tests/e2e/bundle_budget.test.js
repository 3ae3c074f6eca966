// The size budget (issues #9 and #18): everything a page loads for its widgets — the
// loader, the bundle index, and one bundle's Emscripten glue and Wasm (the core: host,
// ImGui, shaders, font; plus that bundle's widgets) — stays within 300 KB gzip (gzip -9),
// on both delivery paths: the binary .wasm over http, and the gzipped base64 script used
// from file:// and on foreign origins. Every bundle a page can be given is checked: one
// per widget and one per set of widgets a chapter shows (src/platform/web/CMakeLists.txt).
// "all" (every widget, for tests and development) is exempt: no page of the book uses it.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const vm = require('node:vm');
const os = require('node:os');
const { ROOT, BUNDLE, writeLoader } = require('./lib');

const BUDGET = 300 * 1024;
const gz = (f) => zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1) + ' KB';

function readIndex() {
  const sandbox = { window: {} };
  vm.runInNewContext(fs.readFileSync(path.join(BUNDLE, 'scalebook-widgets.index.js'), 'utf8'), sandbox);
  return sandbox.window.ScalebookBundleIndex;
}
const stem = (id) => (id === 'all' ? 'scalebook-widgets' : `scalebook-widgets.${id}`);

describe('bundle size budget', () => {
  const loader = writeLoader(path.join(os.tmpdir(), `sb-budget-loader-${process.pid}.js`));
  const indexFile = path.join(BUNDLE, 'scalebook-widgets.index.js');
  const index = readIndex();
  const ids = Object.keys(index).filter((id) => id !== 'all');
  const def = fs.readFileSync(path.join(ROOT, 'src', 'widgets', 'catalog.def'), 'utf8');
  const names = [...def.matchAll(/^SCALEBOOK_WIDGET\(\s*\w+\s*,\s*"([^"]+)"\s*\)/gm)].map((m) => m[1]);

  it('the index lists one bundle per catalog widget, and "all"', () => {
    for (const n of names) assert.deepEqual(index[n], [n], `bundle ${n}`);
    assert.deepEqual(index.all, names);
    for (const id of Object.keys(index))
      for (const f of ['.js', '.wasm', '.wasm.js']) assert.ok(fs.existsSync(path.join(BUNDLE, stem(id) + f)), `${stem(id)}${f} exists`);
  });

  for (const id of ids) {
    const glue = path.join(BUNDLE, stem(id) + '.js');
    const wasm = path.join(BUNDLE, stem(id) + '.wasm');
    const script = path.join(BUNDLE, stem(id) + '.wasm.js');
    it(`bundle ${id}: over http, loader + index + glue + .wasm <= 300 KB gzip`, () => {
      const total = gz(loader) + gz(indexFile) + gz(glue) + gz(wasm);
      assert.ok(total <= BUDGET, `http path of ${id} is ${kb(total)} gzip, budget ${kb(BUDGET)}`);
    });
    it(`bundle ${id}: from file://, loader + index + glue + gzipped-base64 .wasm.js <= 300 KB gzip, holding exactly the .wasm`, () => {
      const total = gz(loader) + gz(indexFile) + gz(glue) + gz(script);
      assert.ok(total <= BUDGET, `file:// path of ${id} is ${kb(total)} gzip, budget ${kb(BUDGET)}`);
      const m = /^\(window\.ScalebookWasm=window\.ScalebookWasm\|\|\{\}\)\["([^"]+)"\]="([A-Za-z0-9+/=]+)";\n$/.exec(fs.readFileSync(script, 'utf8'));
      assert.ok(m, 'the script registers window.ScalebookWasm[id]');
      assert.equal(m[1], id);
      assert.ok(zlib.gunzipSync(Buffer.from(m[2], 'base64')).equals(fs.readFileSync(wasm)), 'inflates to the .wasm byte for byte');
      assert.ok(fs.readFileSync(glue, 'utf8').endsWith(`;(window.ScalebookBundles=window.ScalebookBundles||{})["${id}"]=createScalebookWidgets;\n`),
        'the glue registers its factory under its id');
    });
  }
});
