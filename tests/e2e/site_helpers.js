// Shared helpers for the site_*.test.js files (the book as a site: search, theme,
// shortcuts, print, file://). Each test file builds its own copy of a book (so files
// that run at the same time never write the same folder) and runs every check both
// over http (lib.serve) and from file://.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const test = require('node:test');
const { ROOT, TOOL, BUNDLE, serve, launch } = require('./lib');

const MODES = ['http', 'file'];

// Builds `content` (a fixture folder name under tests/e2e/fixtures/, or 'BOOK' for the
// real content/) into build/e2e/<out>/ with the real tool and returns the folder.
// SCALEBOOK_WEB=DIR builds with other web files (e.g. a deliberately broken book.js, to
// check that a test catches the bug).
function buildBook(content, out) {
  const src = content === 'BOOK' ? path.join(ROOT, 'content') : path.join(__dirname, 'fixtures', content);
  const dir = path.join(ROOT, 'build', 'e2e', out);
  const web = process.env.SCALEBOOK_WEB ? ['--web', path.resolve(process.env.SCALEBOOK_WEB)] : [];
  execFileSync(TOOL, ['build', '--quiet', '--content', src, '--out', dir, '--bundle', BUNDLE, ...web], { stdio: 'pipe' });
  return dir;
}

// One site in both modes: base(mode) is the prefix every request must start with,
// url(mode, rel) the address of a page.
async function site(dir) {
  const server = await serve(dir);
  const fileBase = pathToFileURL(dir).href + '/';
  return {
    dir,
    base: (mode) => (mode === 'http' ? server.url + '/' : fileBase),
    url: (mode, rel) => (mode === 'http' ? server.url + '/' : fileBase) + rel,
    close: () => server.close()
  };
}

// A browser context that records, for every page opened in it, console errors, page
// errors, failed requests, HTTP errors and any request that leaves the site.
async function recordingContext(browser, siteBase, opts = {}) {
  const context = await browser.newContext({ viewport: opts.viewport || { width: 1100, height: 900 },
    colorScheme: opts.colorScheme || 'light', reducedMotion: 'reduce' });
  const problems = [];
  context.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
  context.on('requestfailed', (r) => {
    const why = r.failure() && r.failure().errorText;
    // A navigation that the test itself interrupts is not a failure of the site.
    if (why !== 'net::ERR_ABORTED' || r.resourceType() !== 'document') problems.push(`request failed: ${r.url()} (${why})`);
  });
  context.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  context.on('request', (r) => {
    const u = r.url();
    if (!(u.startsWith(siteBase) || u.startsWith('data:') || u.startsWith('blob:'))) problems.push(`request outside the site: ${u}`);
  });
  return { context, problems };
}

// The page's path relative to the site, without the fragment ("alpha.html").
function relPath(page, siteBase) {
  const u = page.url().split('#')[0].split('?')[0];
  return u.startsWith(siteBase) ? u.slice(siteBase.length) : u;
}

// Registers a site_*.test.js file's before/after hooks: one browser, the 'site' fixture
// built into build/e2e/site-<name>/ and, with { book: true }, the real book into
// build/e2e/book-<name>/. `set` receives { browser, fixture, book } once they exist.
function siteSuite(name, opts, set) {
  const s = {};
  test.before(async () => {
    s.browser = await launch();
    s.fixture = await site(buildBook('site', `site-${name}`));
    if (opts.book) s.book = await site(buildBook('BOOK', `book-${name}`));
    set(s);
  });
  test.after(async () => {
    if (s.browser) await s.browser.close();
    if (s.fixture) await s.fixture.close();
    if (s.book) await s.book.close();
  });
}

module.exports = { siteSuite, MODES, buildBook, site, recordingContext, relPath, fs, path };
