// Theme (web/book.js, the inline script in web/templates/page.html, web/scalebook.js),
// over http and from file://:
//   the toggle cycles system → the opposite of the system's look → the other theme →
//   system; the choice is stored (localStorage "scalebook-theme"), applied before first
//   paint on the next page and after a reload, and shared with other open tabs;
//   "system" follows prefers-color-scheme live (Playwright colour-scheme emulation);
//   widgets follow: element.scalebook.state().dark and the element's data-sbw-theme.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { widgetsReady } = require('./lib');
const { siteSuite, MODES, recordingContext } = require('./site_helpers');

let browser, fixture;
siteSuite('theme', { book: false }, (s) => { ({ browser, fixture } = s); });

// Records <html data-theme> at the moment <body> is parsed, i.e. before the first paint
// and before the deferred book.js runs (so a late theme would show as a flash).
const RECORD_FIRST_PAINT = () => {
  new MutationObserver((_, obs) => {
    if (document.body) { window.__themeAtBody = document.documentElement.getAttribute('data-theme'); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
};

async function look(page) {
  return page.evaluate(() => ({
    theme: document.documentElement.getAttribute('data-theme'),
    atBody: window.__themeAtBody,
    choice: document.getElementById('sb-theme-toggle').getAttribute('data-choice'),
    stored: localStorage.getItem('scalebook-theme'),
    bg: getComputedStyle(document.body).backgroundColor
  }));
}
const LIGHT_BG = 'rgb(255, 255, 255)';
const DARK_BG = 'rgb(21, 24, 29)';

for (const mode of MODES) {
  test(`${mode}: the toggle cycles system → dark → light → system (light system), remembered across pages and reloads`, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode), { colorScheme: 'light' });
    await context.addInitScript(RECORD_FIRST_PAINT);
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'preface.html'));
      let s = await look(page);
      assert.deepEqual(s, { theme: 'light', atBody: 'light', choice: 'system', stored: null, bg: LIGHT_BG });
      assert.match(await page.getAttribute('#sb-theme-toggle', 'aria-label'), /system.*dark/);

      await page.click('#sb-theme-toggle');
      s = await look(page);
      assert.deepEqual([s.theme, s.choice, s.stored, s.bg], ['dark', 'dark', 'dark', DARK_BG]);

      // Another page: dark from the first paint on.
      await page.click('a[rel="next"]');
      await page.waitForURL(/alpha\.html$/);
      s = await look(page);
      assert.deepEqual([s.theme, s.atBody, s.choice, s.bg], ['dark', 'dark', 'dark', DARK_BG]);
      // A reload, and a fresh tab in the same browser profile.
      await page.reload();
      assert.deepEqual((await look(page)).atBody, 'dark');
      const other = await context.newPage();
      await other.goto(fixture.url(mode, 'gamma.html'));
      assert.equal((await look(other)).atBody, 'dark');

      // dark → light (explicit), then → system (the stored setting is removed).
      await page.click('#sb-theme-toggle');
      s = await look(page);
      assert.deepEqual([s.theme, s.choice, s.stored, s.bg], ['light', 'light', 'light', LIGHT_BG]);
      // The other open tab follows through the storage event.
      await other.waitForFunction(() => document.documentElement.getAttribute('data-theme') === 'light' &&
        document.getElementById('sb-theme-toggle').getAttribute('data-choice') === 'light');
      await page.click('#sb-theme-toggle');
      s = await look(page);
      assert.deepEqual([s.theme, s.choice, s.stored], ['light', 'system', null]);
      await page.goto(fixture.url(mode, 'beta.html'));
      s = await look(page);
      assert.deepEqual([s.theme, s.atBody, s.choice], ['light', 'light', 'system']);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test(`${mode}: "system" follows prefers-color-scheme, live; an explicit choice does not`, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode), { colorScheme: 'dark' });
    await context.addInitScript(RECORD_FIRST_PAINT);
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'gamma.html'));
      let s = await look(page);
      assert.deepEqual(s, { theme: 'dark', atBody: 'dark', choice: 'system', stored: null, bg: DARK_BG });
      // The system switches to light while the page is open.
      await page.emulateMedia({ colorScheme: 'light' });
      await page.waitForFunction(() => document.documentElement.getAttribute('data-theme') === 'light');
      assert.equal((await look(page)).bg, LIGHT_BG);
      // First click from a light system picks dark; the system going dark then light again
      // no longer changes the page.
      await page.click('#sb-theme-toggle');
      assert.deepEqual([(await look(page)).theme, (await look(page)).stored], ['dark', 'dark']);
      await page.emulateMedia({ colorScheme: 'light' });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.emulateMedia({ colorScheme: 'light' });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
      assert.equal((await look(page)).theme, 'dark');
      // From a light system, dark → light → system cycles back to following the system.
      await page.click('#sb-theme-toggle');
      await page.click('#sb-theme-toggle');
      s = await look(page);
      assert.deepEqual([s.choice, s.stored, s.theme], ['system', null, 'light']);
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForFunction(() => document.documentElement.getAttribute('data-theme') === 'dark');
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test(`${mode}: a widget follows the theme (state().dark, data-sbw-theme), also a system change`, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode), { colorScheme: 'light' });
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'beta.html'));
      const w = page.locator('scalebook-widget');
      await w.scrollIntoViewIfNeeded();
      await widgetsReady(page, 60000);
      assert.equal(await w.evaluate((el) => el.scalebook.error()), null);
      const widgetTheme = () => w.evaluate((el) => ({ dark: el.scalebook.state().dark, attr: el.getAttribute('data-sbw-theme') }));
      const until = (dark) => page.waitForFunction((d) => {
        const el = document.querySelector('scalebook-widget');
        const st = el.scalebook.state();
        return st && st.dark === d && el.getAttribute('data-sbw-theme') === (d ? 'dark' : 'light');
      }, dark, { timeout: 15000 });
      assert.deepEqual(await widgetTheme(), { dark: false, attr: 'light' });
      await page.click('#sb-theme-toggle');             // → dark
      await until(true);
      await page.click('#sb-theme-toggle');             // → light
      await until(false);
      await page.click('#sb-theme-toggle');             // → system (light)
      await page.emulateMedia({ colorScheme: 'dark' });  // the system goes dark: the widget too
      await until(true);
      // A reload with the system dark and no stored choice: the widget starts dark.
      await page.reload();
      await w.scrollIntoViewIfNeeded();
      await widgetsReady(page, 60000);
      assert.deepEqual(await widgetTheme(), { dark: true, attr: 'dark' });
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });
}
