// Which bundle a page loads (issue #18 item 5; src/platform/web/CMakeLists.txt, the loader's
// [SECTION] runtime): a chapter loads exactly the one bundle built for the set of widgets
// it shows, once, over http as the binary .wasm and from file:// as the gzipped script;
// a page of one widget loads that widget's own bundle; a hand-written page whose widgets
// have no bundle of their own together still gets one module holding them all (not one
// copy of the core per widget); and an unknown name lists the whole catalog.
//
// SCALEBOOK_SITE=DIR tests another build of the book (default build/site/, made by tools/build).
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, serve, launch, open, startWidgets } = require('./lib');

const SITE = process.env.SCALEBOOK_SITE ? path.resolve(process.env.SCALEBOOK_SITE) : path.join(ROOT, 'build', 'site');
const wasmLoads = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .map((e) => decodeURIComponent(e.name.replace(/^.*\//, ''))).filter((n) => /^scalebook-widgets.*\.wasm(\.js)?$/.test(n)).sort());
// The bundle scripts the loader added (file:// pages record no resource timing).
const bundleScripts = (page) => page.evaluate(() => Array.from(document.querySelectorAll('script[src]'))
  .map((e) => decodeURIComponent(e.src.replace(/^.*\//, ''))).filter((n) => /^scalebook-widgets/.test(n)).sort());
const bundlesUsed = (page) => page.evaluate(() => Array.from(document.querySelectorAll('scalebook-widget'))
  .map((w) => w.scalebook && w.scalebook.bundle && w.scalebook.bundle()));

describe('bundle choice', () => {
  let browser, server, dir;
  before(async () => {
    browser = await launch();
    server = await serve(SITE);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-bundles-'));
    for (const f of fs.readdirSync(path.join(SITE, 'assets')))
      if (/^scalebook/.test(f)) fs.copyFileSync(path.join(SITE, 'assets', f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'mixed.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mixed</title></head>
<body><script src="scalebook.js" defer></script>
<scalebook-widget name="hello"></scalebook-widget><scalebook-widget name="rate-limiter"></scalebook-widget>
<scalebook-widget name="no-such-widget"></scalebook-widget></body></html>\n`);
  });
  after(async () => { await server.close(); await browser.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('a chapter with three kinds of widget loads the one bundle of that set, once, over http', async () => {
    const { page, problems, context } = await open(browser, `${server.url}/phase-8-practice.html`);
    const n = await startWidgets(page);
    assert.ok(n >= 3, `${n} widgets`);
    assert.deepEqual(await wasmLoads(page), ['scalebook-widgets.fanout+rate-limiter+sharding.wasm']);
    assert.deepEqual([...new Set(await bundlesUsed(page))], ['fanout+rate-limiter+sharding']);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('from file://, the same chapter inflates that bundle\'s gzipped script and nothing else', async () => {
    const { page, problems, context } = await open(browser, 'file://' + path.join(SITE, 'phase-4-real-world-designs.html'));
    await startWidgets(page);
    assert.deepEqual(await bundleScripts(page), ['scalebook-widgets.fanout+sharding.js', 'scalebook-widgets.fanout+sharding.wasm.js',
      'scalebook-widgets.index.js']);
    assert.deepEqual([...new Set(await bundlesUsed(page))], ['fanout+sharding']);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a page of one kind of widget loads that widget\'s own bundle', async () => {
    const { page, problems, context } = await open(browser, `${server.url}/phase-1-foundations.html`);
    await startWidgets(page);
    assert.deepEqual(await wasmLoads(page), ['scalebook-widgets.lb.wasm']);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a hand-written page of widgets no set bundle holds gets one module for all of them; an unknown name lists the catalog', async () => {
    const fsrv = await serve(dir);
    try {
      const { page, context } = await open(browser, `${fsrv.url}/mixed.html`);
      await startWidgets(page);
      assert.deepEqual(await wasmLoads(page), ['scalebook-widgets.wasm'], 'the "all" bundle, not hello\'s and rate-limiter\'s');
      const used = await bundlesUsed(page);
      assert.deepEqual(used.slice(0, 2), ['all', 'all']);
      const err = await page.locator('scalebook-widget').nth(2).evaluate((w) => w.scalebook.error());
      assert.match(err, /unknown widget 'no-such-widget' \(known: hello, fanout, rate-limiter, sharding/);
      await context.close();
    } finally { await fsrv.close(); }
  });
});
