// Search (web/book.js + assets/search-index.js), over http and from file://:
//   `/` focuses the box; typing shows ranked results pointing at the matching section
//   (page + #anchor); following one lands on that heading with the terms marked there;
//   terms are <mark>ed in the results; a query without a match says so; the keyboard
//   walks the results. The fixture book (tests/e2e/fixtures/site) has made-up words so
//   rankings are deterministic; one check runs against the real book (content/).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { siteSuite, MODES, recordingContext, relPath } = require('./site_helpers');

let browser, fixture, book;
siteSuite('search', { book: true }, (s) => { ({ browser, fixture, book } = s); });

// The visible results as [{href (relative to the site), title, marks: [text…]}].
async function results(page) {
  await page.waitForSelector('#sb-search-results:not([hidden])');
  return page.$$eval('#sb-search-results a', (as) => as.map((a) => ({
    href: a.getAttribute('href'),
    title: a.querySelector('.sb-result-title').textContent,
    page: a.querySelector('.sb-result-page').textContent,
    marks: Array.from(a.querySelectorAll('mark')).map((m) => m.textContent)
  })));
}

// Types a query into the focused box and waits until the results for exactly it are shown.
async function query(page, q) {
  await page.fill('#sb-search-input', q);
  await page.waitForFunction((text) => {
    const r = document.getElementById('sb-search-results');
    if (r.hidden) return false;
    const empty = r.querySelector('.sb-search-empty');
    if (empty) return empty.textContent.includes(text);
    const a = r.querySelector('a');
    return !!a && a.getAttribute('data-terms') !== null &&
      a.getAttribute('data-terms') === text.toLowerCase().split(/\s+/).filter(Boolean).join(' ');
  }, q);
}

// Waits until the heading `id` is where the browser put the reader: in view, at the top
// (below the sticky bar) unless the page ends before it can scroll that far.
async function landedOn(page, id) {
  await page.waitForFunction((hid) => {
    const h = document.getElementById(hid);
    if (!h) return false;
    const r = h.getBoundingClientRect();
    const bottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
    return r.top >= 0 && r.bottom <= window.innerHeight && (r.top < 160 || bottom);
  }, id, { timeout: 10000 });
  return page.$eval(`[id="${id}"]`, (h) => ({ tag: h.tagName.toLowerCase(),
    text: Array.from(h.childNodes).filter((n) => !(n.classList && n.classList.contains('sb-anchor'))).map((n) => n.textContent).join('') }));
}

for (const mode of MODES) {
  test(`${mode}: "/" focuses the search box without typing the slash`, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode));
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'gamma.html'));
      assert.notEqual(await page.evaluate(() => document.activeElement && document.activeElement.id), 'sb-search-input');
      await page.keyboard.press('/');
      await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'sb-search-input');
      assert.equal(await page.inputValue('#sb-search-input'), '', 'the "/" was typed into the box');
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test(`${mode}: ranked results point at the section, marks in results and on the target page`, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode));
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'gamma.html'));
      await page.keyboard.press('/');
      await query(page, 'zephyrine');
      const r = await results(page);
      // Every section that says the word, and nothing else; the section titled with it
      // and saying it five times first.
      assert.deepEqual(r.map((x) => x.href).sort(), ['alpha-details.html#deep-dive', 'alpha.html#quorum-reads',
        'alpha.html#zephyrine-basics', 'preface.html#preface'].sort());
      assert.equal(r[0].href, 'alpha.html#zephyrine-basics');
      assert.equal(r[0].title, 'Zephyrine basics');
      assert.equal(r[0].page, 'Alpha Chapter');
      for (const x of r) {
        assert.ok(x.marks.length >= 1, `no <mark> in result ${x.href}`);
        for (const m of x.marks) assert.equal(m.toLowerCase(), 'zephyrine');
      }
      assert.match(await page.textContent('#sb-search-status'), /^4 results$/);
      // Enter follows the first result: the right page, the heading in view, the terms marked there.
      await page.press('#sb-search-input', 'Enter');
      await page.waitForURL(/alpha\.html#zephyrine-basics$/);
      assert.equal(relPath(page, fixture.base(mode)), 'alpha.html');
      assert.deepEqual(await landedOn(page, 'zephyrine-basics'), { tag: 'h2', text: 'Zephyrine basics' });
      const marks = await page.$$eval('.sb-content mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
      assert.ok(marks.length >= 7, `expected every "zephyrine" on the page marked, got ${marks.length}`);
      assert.ok(marks.every((m) => m === 'zephyrine'), JSON.stringify(marks));
      // The marks are only for an arrival from search: a reload shows the page plain.
      await page.reload();
      assert.equal(await page.$$eval('.sb-content mark', (ms) => ms.length), 0);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test(`${mode}: several terms (all required, prefixes match), arrows + Enter, click, Escape`, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode));
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'preface.html'));
      await page.keyboard.press('/');
      // "zephyr ring": only sections with both words (zephyr as a prefix of zephyrine).
      await query(page, 'zephyr ring');
      let r = await results(page);
      assert.deepEqual(r.map((x) => x.href), ['alpha.html#zephyrine-basics', 'alpha-details.html#deep-dive']);
      assert.ok(r[1].marks.some((m) => m.toLowerCase() === 'ring'), `"ring" not marked: ${JSON.stringify(r[1].marks)}`);
      // ArrowDown twice selects the second result; Enter follows it.
      await page.press('#sb-search-input', 'ArrowDown');
      await page.press('#sb-search-input', 'ArrowDown');
      assert.equal(await page.$eval('#sb-search-results a.sb-selected', (a) => a.getAttribute('href')), 'alpha-details.html#deep-dive');
      await page.press('#sb-search-input', 'Enter');
      await page.waitForURL(/alpha-details\.html#deep-dive$/);
      assert.deepEqual(await landedOn(page, 'deep-dive'), { tag: 'h2', text: 'Deep dive' });
      // Clicking a result: a word only in the beta chapter's first section (text and widget caption).
      await page.keyboard.press('/');
      await query(page, 'marmotwidget');
      r = await results(page);
      assert.deepEqual(r.map((x) => x.href), ['beta.html#beta-chapter']);
      await page.click('#sb-search-results a');
      await page.waitForURL(/beta\.html#beta-chapter$/);
      assert.deepEqual(await landedOn(page, 'beta-chapter'), { tag: 'h1', text: 'Beta Chapter' });
      // Marked in the paragraph and in the widget's caption, never inside the widget itself.
      assert.deepEqual(await page.$$eval('.sb-content mark', (ms) => ms.map((m) => m.parentElement.tagName.toLowerCase() + ':' + m.textContent)),
        ['p:marmotwidget', 'figcaption:marmotwidget']);
      assert.equal(await page.$$eval('scalebook-widget mark', (ms) => ms.length), 0);
      // Escape closes the results, a second Escape leaves the box.
      await page.keyboard.press('/');
      await query(page, 'quorumlite');
      assert.equal((await results(page)).length, 2);
      await page.keyboard.press('Escape');
      assert.equal(await page.$eval('#sb-search-results', (e) => e.hidden), true);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'sb-search-input');
      await page.keyboard.press('Escape');
      assert.notEqual(await page.evaluate(() => document.activeElement.id), 'sb-search-input');
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test(`${mode}: a query without a match says so`, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode));
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'alpha-details.html'));
      await page.keyboard.press('/');
      await query(page, 'qwxzvbnotaword');
      assert.equal(await page.$$eval('#sb-search-results a', (as) => as.length), 0);
      assert.equal(await page.textContent('#sb-search-results .sb-search-empty'), 'No results for “qwxzvbnotaword”.');
      assert.equal(await page.textContent('#sb-search-status'), 'No results');
      // One known and one unknown word: every term is required, so no match either.
      await query(page, 'zephyrine qwxzvbnotaword');
      assert.equal(await page.$$eval('#sb-search-results a', (as) => as.length), 0);
      // Clearing the box hides the results.
      await page.fill('#sb-search-input', '');
      await page.waitForFunction(() => document.getElementById('sb-search-results').hidden);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test(`${mode}: the real book finds "consistent hashing" and lands on its section`, async () => {
    const { context, problems } = await recordingContext(browser, book.base(mode));
    try {
      const page = await context.newPage();
      await page.goto(book.url(mode, 'introduction.html'));
      await page.keyboard.press('/');
      await query(page, 'consistent hashing');
      const r = await results(page);
      assert.ok(r.length >= 3, `expected several results, got ${r.length}`);
      // The best result is a section titled with both words.
      assert.match(r[0].title.toLowerCase(), /consistent hashing/);
      assert.ok(r.slice(0, 3).every((x) => x.marks.some((m) => /^consistent$/i.test(m)) && x.marks.some((m) => /^hashing$/i.test(m))),
        `top results without both terms marked: ${JSON.stringify(r.slice(0, 3))}`);
      const [file, id] = r[0].href.split('#');
      assert.ok(id, `result without an anchor: ${r[0].href}`);
      await page.press('#sb-search-input', 'Enter');
      await page.waitForURL((u) => u.href.endsWith(r[0].href));
      assert.equal(relPath(page, book.base(mode)), file);
      const h = await landedOn(page, decodeURIComponent(id));
      assert.match(h.tag, /^h[1-4]$/);
      assert.match(h.text.toLowerCase(), /consistent hashing/);
      assert.ok(await page.$$eval('.sb-content mark', (ms) => ms.length) >= 2);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });
}
