// Keyboard shortcuts (web/book.js), over http and from file://:
//   ← / → previous / next page (reading order of SUMMARY.md, cover first), none past the
//   last page; `/` and `s` focus search; `?` opens the help dialog and Escape closes it;
//   `t` switches the theme; nothing fires while typing in an input or while a widget has
//   the focus, nor with Ctrl/Alt/Meta; the switch in the help dialog turns the single-key
//   shortcuts off, is remembered on other pages (localStorage "scalebook-shortcuts"),
//   and turns them back on.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { widgetsReady } = require('./lib');
const { siteSuite, MODES, recordingContext, relPath } = require('./site_helpers');

let browser, fixture;
siteSuite('shortcuts', { book: false }, (s) => { ({ browser, fixture } = s); });

const ORDER = ['index.html', 'preface.html', 'alpha.html', 'alpha-details.html', 'beta.html', 'gamma.html'];
const focused = (page) => page.evaluate(() => document.activeElement ? document.activeElement.id || document.activeElement.tagName.toLowerCase() : null);
const helpOpen = (page) => page.$eval('#sb-help', (d) => d.open);
// Lets any handler (and a navigation it would start) run: two animation frames. A page
// that navigated away meanwhile ends the wait too; the caller's checks then see it.
const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))))
  .catch(() => {});
// No test may hang the run, even when the site is broken.
const LIMIT = { timeout: 120000 };
// Every navigation a page starts (a shortcut that fires starts one before the URL changes).
function watchNavigations(page) {
  const started = [];
  page.on('request', (r) => { if (r.isNavigationRequest() && r.frame() === page.mainFrame()) started.push(r.url()); });
  return started;
}

for (const mode of MODES) {
  test(`${mode}: → walks the whole book in reading order and ← walks back`, LIMIT, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode));
    const base = fixture.base(mode);
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, ORDER[0]));
      for (let i = 1; i < ORDER.length; i++) {
        await page.keyboard.press('ArrowRight');
        await page.waitForURL((u) => u.href === base + ORDER[i]);
        await page.waitForLoadState('domcontentloaded');
      }
      // The last page has no next page: → stays.
      await page.keyboard.press('ArrowRight');
      await settle(page);
      assert.equal(relPath(page, base), 'gamma.html');
      for (let i = ORDER.length - 2; i >= 0; i--) {
        await page.keyboard.press('ArrowLeft');
        await page.waitForURL((u) => u.href === base + ORDER[i]);
        await page.waitForLoadState('domcontentloaded');
      }
      // With a modifier it is not our shortcut.
      await page.goto(fixture.url(mode, 'alpha.html'));
      await page.keyboard.press('Control+ArrowRight');
      await settle(page);
      assert.equal(relPath(page, base), 'alpha.html');
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test(`${mode}: / and s focus search, ? opens help, Escape closes it, t switches the theme`, LIMIT, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode));
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'alpha.html'));
      await page.keyboard.press('/');
      assert.equal(await focused(page), 'sb-search-input');
      await page.keyboard.press('Escape');          // leaves the empty box
      assert.notEqual(await focused(page), 'sb-search-input');
      await page.keyboard.press('s');
      assert.equal(await focused(page), 'sb-search-input');
      assert.equal(await page.inputValue('#sb-search-input'), '');
      await page.keyboard.press('Escape');

      assert.equal(await helpOpen(page), false);
      await page.keyboard.press('?');
      assert.equal(await helpOpen(page), true);
      assert.ok(await page.isVisible('#sb-help'));
      assert.match(await page.textContent('#sb-help'), /Previous \/ next page/);
      // A modal dialog: the shortcuts are off while it is open (→ does not navigate).
      await page.keyboard.press('ArrowRight');
      await settle(page);
      assert.equal(relPath(page, fixture.base(mode)), 'alpha.html');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.getElementById('sb-help').open);
      assert.equal(await page.isVisible('#sb-help'), false);
      // The help button opens it as well; its Close button closes it.
      await page.click('#sb-help-button');
      assert.equal(await helpOpen(page), true);
      await page.click('#sb-help button[type="submit"]');
      assert.equal(await helpOpen(page), false);

      const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
      assert.equal(await theme(), 'light');
      await page.keyboard.press('t');
      assert.equal(await theme(), 'dark');
      await page.keyboard.press('t');
      assert.equal(await theme(), 'light');
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test(`${mode}: no shortcut fires while typing in an input or while a widget has the focus`, LIMIT, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode));
    const base = fixture.base(mode);
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'beta.html'));
      const navigations = watchNavigations(page);
      // Typing in the search box: every key is text (or moves the caret), nothing else happens.
      await page.click('#sb-search-input');
      await page.keyboard.type('t?s/');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowRight');
      await settle(page);
      assert.equal(await page.inputValue('#sb-search-input'), 't?s/');
      assert.equal(relPath(page, base), 'beta.html');
      assert.equal(await helpOpen(page), false);
      assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), 'light');
      assert.equal(await focused(page), 'sb-search-input');
      // An input of the page's own (a textarea an author added in raw HTML, say).
      await page.evaluate(() => {
        const ta = document.createElement('textarea'); ta.id = 'own-textarea';
        document.querySelector('.sb-content').appendChild(ta);
      });
      await page.click('#own-textarea');
      await page.keyboard.type('?t/');
      await page.keyboard.press('ArrowLeft');
      await settle(page);
      assert.equal(await page.inputValue('#own-textarea'), '?t/');
      assert.equal(relPath(page, base), 'beta.html');
      assert.equal(await helpOpen(page), false);

      // A widget with the focus owns the keys (its canvas handles arrows itself).
      const w = page.locator('scalebook-widget');
      await w.scrollIntoViewIfNeeded();
      await widgetsReady(page, 60000);
      const box = await w.locator('canvas').boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      assert.ok(await page.evaluate(() => !!document.activeElement.closest('scalebook-widget')), 'the widget did not take the focus');
      for (const k of ['ArrowLeft', 'ArrowRight', '?', 't', '/']) await page.keyboard.press(k);
      await settle(page);
      assert.equal(relPath(page, base), 'beta.html');
      assert.equal(await helpOpen(page), false);
      assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), 'light');
      assert.deepEqual(navigations, []);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test(`${mode}: the switch turns shortcuts off, is remembered on other pages, and back on`, LIMIT, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode));
    const base = fixture.base(mode);
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'alpha.html'));
      const navigations = watchNavigations(page);
      await page.keyboard.press('?');
      assert.equal(await page.isChecked('#sb-shortcuts-enabled'), true);
      await page.uncheck('#sb-shortcuts-enabled');
      assert.equal(await page.evaluate(() => localStorage.getItem('scalebook-shortcuts')), 'off');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.getElementById('sb-help').open);

      const nothingFires = async () => {
        await page.locator('body').focus().catch(() => {});
        await page.evaluate(() => document.activeElement && document.activeElement.blur());
        for (const k of ['ArrowRight', 'ArrowLeft', '/', 's', '?', 't']) await page.keyboard.press(k);
        await settle(page);
        assert.equal(await helpOpen(page), false);
        assert.notEqual(await focused(page), 'sb-search-input');
        assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), 'light');
      };
      await nothingFires();
      assert.equal(relPath(page, base), 'alpha.html');
      // Another page (by its link) and a reload: still off; the dialog shows the switch off.
      await page.click('a[rel="next"]');
      await page.waitForURL((u) => u.href === base + 'alpha-details.html');
      await nothingFires();
      assert.equal(relPath(page, base), 'alpha-details.html');
      await page.reload();
      await nothingFires();
      assert.equal(relPath(page, base), 'alpha-details.html');
      // The only navigations were the link click and the reload.
      assert.deepEqual(navigations, [base + 'alpha-details.html', base + 'alpha-details.html']);
      await page.click('#sb-help-button');
      assert.equal(await page.isChecked('#sb-shortcuts-enabled'), false);
      // Back on: the setting is removed and → works again.
      await page.check('#sb-shortcuts-enabled');
      assert.equal(await page.evaluate(() => localStorage.getItem('scalebook-shortcuts')), null);
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.getElementById('sb-help').open);
      await page.keyboard.press('ArrowRight');
      await page.waitForURL((u) => u.href === base + 'beta.html');
      await page.waitForLoadState('domcontentloaded');
      await page.keyboard.press('?');
      assert.equal(await helpOpen(page), true);
      assert.equal(await page.isChecked('#sb-shortcuts-enabled'), true);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });
}
