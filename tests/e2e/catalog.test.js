// Every widget of the catalog, generically (issue #14 item 6, #18 item 8): for each widget,
// at its defaults and under each story preset, in its own bundle — it boots, draws
// non-blank pixels that change while it plays, has a non-empty live summary, and a
// permalink made mid-run (after one of its actions, when it has any) opened in a fresh
// page lands paused at the same moment with the same state digest. A new catalog line is
// covered without a new test file. One browser for the whole file.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const { ROOT, BUNDLE, serve, launch, open, canvasStats, writeLoader } = require('./lib');

const T = 60000;
const W = 'scalebook-widget';
const def = fs.readFileSync(path.join(ROOT, 'src', 'widgets', 'catalog.def'), 'utf8');
const NAMES = [...def.matchAll(/^SCALEBOOK_WIDGET\(\s*\w+\s*,\s*"([^"]+)"\s*\)/gm)].map((m) => m[1]);

const ready = (page) => page.waitForFunction((sel) => { const w = document.querySelector(sel);
  return w && w.scalebook && (w.scalebook.ready() || w.scalebook.error()); }, W, { timeout: T });
const hook = (page, fn, arg) => page.locator(W).evaluate(fn, arg);
// Plays until the simulated time passed `us` more (or the run has nothing left to animate,
// e.g. a rebalance that landed), then pauses.
async function playFor(page, us) {
  const t0 = (await hook(page, (w) => w.scalebook.state())).sim_time_us;
  await hook(page, (w) => w.scalebook.play(true));
  await page.waitForFunction(([sel, t]) => { const s = document.querySelector(sel).scalebook.state();
    return s.sim_time_us >= t || !s.animating; }, [W, t0 + us], { timeout: T });
  await hook(page, (w) => w.scalebook.play(false));
}

describe('every catalog widget', () => {
  let browser, server, dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-catalog-'));
    for (const f of fs.readdirSync(BUNDLE)) fs.copyFileSync(path.join(BUNDLE, f), path.join(dir, f));
    writeLoader(path.join(dir, 'scalebook.js'));
    for (const name of NAMES)
      fs.writeFileSync(path.join(dir, `${name}.html`), `<!doctype html><html lang="en" data-theme="light"><head><meta charset="utf-8">
<title>${name}</title><link rel="icon" href="data:,"></head><body style="margin:0;padding:12px"><script src="scalebook.js" defer></script>
<scalebook-widget name="${name}" style="display:block;width:900px;--sb-widget-height:420px"></scalebook-widget></body></html>\n`);
    // Values valid only together: the defaults are users 3000, celebrity_followers 2500,
    // and celebrity_followers must stay below users.
    fs.writeFileSync(path.join(dir, 'together.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>together</title><link rel="icon" href="data:,"></head><body><script src="scalebook.js" defer></script>
<scalebook-widget name="fanout" users="2000" celebrity_followers="1500"></scalebook-widget>
<scalebook-widget name="fanout" users="2000" celebrity_followers="2500"></scalebook-widget></body></html>\n`);
    server = await serve(dir);
    browser = await launch();
  });
  after(async () => { await browser.close(); await server.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('the catalog has every widget of the bundle index', () => {
    const sandbox = { window: {} };
    vm.runInNewContext(fs.readFileSync(path.join(BUNDLE, 'scalebook-widgets.index.js'), 'utf8'), sandbox);
    assert.deepEqual(sandbox.window.ScalebookBundleIndex.all, NAMES);
  });

  it('attributes are applied as one edit: values valid only together start; an invalid set names its attribute', async () => {
    const { page, problems, context } = await open(browser, `${server.url}/together.html`);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('scalebook-widget'))
      .every((w) => w.scalebook && (w.scalebook.ready() || w.scalebook.error())), null, { timeout: T });
    const first = page.locator(W).nth(0), second = page.locator(W).nth(1);
    assert.equal(await first.evaluate((w) => w.scalebook.error()), null);
    const p = (await first.evaluate((w) => w.scalebook.state())).params;
    assert.equal(p.users, '2000');
    assert.equal(p.celebrity_followers, '1500');
    assert.match(await second.evaluate((w) => w.scalebook.error()), /attribute 'celebrity_followers': /);
    assert.deepEqual(problems, []);
    await context.close();
  });

  for (const name of NAMES) {
    it(`${name}: defaults and every preset boot, draw, animate, summarise, and replay from a permalink`, async () => {
      const { page, problems, context } = await open(browser, `${server.url}/${name}.html`, { viewport: { width: 940, height: 900 } });
      await ready(page);
      assert.equal(await hook(page, (w) => w.scalebook.error()), null, `${name} started`);
      assert.equal(await hook(page, (w) => w.scalebook.bundle()), name, 'its own bundle');
      const info = await hook(page, (w) => w.scalebook.info());
      const runs = [null, ...info.presets.map((p) => p.id)];
      for (const preset of runs) {
        const what = `${name} ${preset ? 'preset ' + preset : 'defaults'}`;
        if (preset) assert.equal(await hook(page, (w, id) => w.scalebook.applyPreset(id), preset), '', `${what}: applies`);
        await playFor(page, 300000);
        const a = await canvasStats(page, W);
        assert.ok(a.differing > a.total * 0.02, `${what}: drew pixels (${a.differing}/${a.total})`);
        const animating = await hook(page, (w) => w.scalebook.state().animating);
        if (info.actions && info.actions.length) {
          const act = info.actions[0];
          assert.equal(await hook(page, (w, x) => w.scalebook.act(x.name, x.args), { name: act.name, args: act.args.map((g) => g.default) }), '',
            `${what}: action ${act.name}`);
        }
        await playFor(page, 400000);
        const b = await canvasStats(page, W);
        if (animating) assert.notEqual(b.hash, a.hash, `${what}: the picture changes while it plays`);
        const summary = await hook(page, (w) => w.scalebook.summary());
        assert.ok(summary.trim().length > 10, `${what}: summary "${summary}"`);
        const st = await hook(page, (w) => w.scalebook.state());
        const link = await hook(page, (w) => w.scalebook.permalink());
        // A fresh page from the link: paused at the same time, same digest.
        const other = await open(browser, link, { viewport: { width: 940, height: 900 } });
        await ready(other.page);
        const st2 = await other.page.locator(W).evaluate((w) => w.scalebook.state());
        assert.equal(st2.sim_time_us, st.sim_time_us, `${what}: the link lands at its time`);
        assert.equal(st2.digest, st.digest, `${what}: same digest from the permalink (${link})`);
        assert.deepEqual(other.problems, []);
        await other.context.close();
      }
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});
