// The site from file:// (and, for comparison, over http): starting from a sub-chapter
// page of the fixture book, every link of the page (content, sidebar, pager, top bar)
// is relative and leads to a page or file that loads, with its #fragment present;
// images and the inlined figure show; nothing is requested outside the site folder;
// over file:// no service worker or manifest is attempted (over http both are). For the real book, every
// link of every page's navigation resolves to a file that exists.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { siteSuite, MODES, recordingContext, relPath, fs, path } = require('./site_helpers');

let browser, fixture, book;
siteSuite('file', { book: true }, (s) => { ({ browser, fixture, book } = s); });
const LIMIT = { timeout: 120000 };

for (const mode of MODES) {
  test(`${mode}: every link of a sub-chapter page works, nothing leaves the site`, LIMIT, async (t) => {
    const base = fixture.base(mode);
    const { context, problems } = await recordingContext(browser, base);
    // Record service worker registrations (over http the site registers sw.js after load).
    await context.addInitScript(() => {
      window.__swRegister = [];
      const sw = navigator.serviceWorker;
      if (sw && sw.register) {
        const register = sw.register.bind(sw);
        sw.register = (u, o) => { window.__swRegister.push(String(u)); return register(u, o); };
      }
    });
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'alpha-details.html'));
      // The page itself: marked current in the sidebar, its inline image and inlined SVG show.
      assert.equal(await page.$eval('.sb-sidebar [aria-current="page"]', (a) => a.getAttribute('href')), 'alpha-details.html');
      assert.equal(await page.$$eval('.sb-content figure svg[role="img"]', (s) => s.length), 1);
      const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
      assert.ok(links.length >= 12, `only ${links.length} links`);
      for (const href of links) assert.ok(!/^(\/|[a-z]+:)/i.test(href), `not a relative link: ${href}`);
      const expected = ['index.html', 'print.html', 'alpha.html#zephyrine-basics', 'beta.html', 'figures/ring.svg',
        'alpha.html', 'preface.html', 'gamma.html'];
      for (const e of expected) assert.ok(links.includes(e), `no link to ${e} (links: ${links.join(' ')})`);
      // Follow every distinct link in a second tab.
      const visit = await context.newPage();
      const seen = new Set();
      for (const href of links) {
        const target = new URL(href, page.url()).href;
        if (seen.has(target)) continue;
        seen.add(target);
        const file = decodeURIComponent(target.split('#')[0].slice(base.length));
        assert.ok(target.startsWith(base) && fs.existsSync(path.join(fixture.dir, file)), `${href} → ${target}: no such file in the site`);
        // Pages are opened; other files (the SVG) only checked: a bare SVG tab asks for /favicon.ico.
        if (!file.endsWith('.html')) continue;
        await visit.goto(target);
        assert.equal(relPath(visit, base), file);
        assert.ok((await visit.title()).length > 0, `${href}: no title`);
        const frag = decodeURIComponent(new URL(target).hash.slice(1));
        if (frag) assert.ok(await visit.$(`[id="${frag}"]`), `${href}: no element #${frag}`);
      }
      t.diagnostic(`${mode}: ${seen.size} distinct link targets loaded`);
      // An image inside a paragraph stays an <img> with a relative src and loads (on alpha.html).
      await visit.goto(fixture.url(mode, 'alpha.html'));
      const img = await visit.$eval('.sb-content img[src="figures/dot.svg"]', (i) => i.decode().then(() => i.naturalWidth, () => 0));
      assert.ok(img > 0, 'figures/dot.svg did not load');
      // http only: the manifest and the service worker; never from file://.
      if (mode === 'http') await page.waitForFunction(() => window.__swRegister.length > 0);
      const extras = await page.evaluate(() => ({ manifest: !!document.querySelector('link[rel="manifest"]'), sw: window.__swRegister }));
      assert.deepEqual(extras, mode === 'file' ? { manifest: false, sw: [] } : { manifest: true, sw: ['sw.js'] });
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });
}

test('the real book: every navigation link of every page resolves to a file of the site', () => {
  const pages = fs.readdirSync(book.dir).filter((f) => f.endsWith('.html'));
  assert.ok(pages.length >= 12);
  const missing = [];
  let n = 0;
  for (const p of pages) {
    const html = fs.readFileSync(path.join(book.dir, p), 'utf8');
    for (const m of html.matchAll(/<(?:a|link|script|img)\b[^>]*?\b(?:href|src)="([^"]*)"/g)) {
      const href = m[1].replace(/&amp;/g, '&');
      if (/^(https?:|mailto:|data:)/.test(href)) continue;
      n++;
      if (href.startsWith('/')) { missing.push(`${p}: absolute link ${href}`); continue; }
      const u = new URL(href, 'file:///site/' + p);
      const file = decodeURIComponent(u.pathname.replace(/^\/site\//, ''));
      if (!fs.existsSync(path.join(book.dir, file))) missing.push(`${p}: ${href} → ${file} missing`);
    }
  }
  assert.ok(n > 500, `only ${n} local links`);
  assert.deepEqual(missing, []);
});
