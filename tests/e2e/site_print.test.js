// Printing (print.html from src/site, the print stylesheet in web/book.css), over http
// and from file://:
//   print.html holds every chapter page of SUMMARY.md, in its order, each once; every
//   widget of the book is a static figure there (caption + description + settings +
//   a link to the live page), never an empty box, also under print media; the print
//   stylesheet hides navigation, sidebar, search, outline, pager and help; in-page links
//   resolve; the Print button calls window.print(); page.pdf() gives a plausible PDF.
//   A chapter page printed with its widget already running prints the widget's
//   description, not a blank box.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { widgetsReady } = require('./lib');
const { siteSuite, MODES, recordingContext, fs, path } = require('./site_helpers');

let browser, fixture, book;
siteSuite('print', { book: true }, (s) => { ({ browser, fixture, book } = s); });
const LIMIT = { timeout: 180000 };

// Chapter pages in reading order from SUMMARY.md: every linked .md file once, in order
// of first appearance (chapters and sub-chapter pages; section links add nothing new).
function summaryOrder(summaryFile) {
  const text = fs.readFileSync(summaryFile, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const out = [];
  for (const m of text.matchAll(/\]\(([^)#\s]+)\.md(?:#[^)]*)?\)/g)) if (!out.includes(m[1])) out.push(m[1]);
  return out;
}
// How many widgets the chapter pages have, and their captions, in reading order.
function widgetsIn(dir, stems) {
  const caps = [];
  for (const s of stems) {
    const html = fs.readFileSync(path.join(dir, s + '.html'), 'utf8');
    for (const m of html.matchAll(/<scalebook-widget[\s\S]*?<\/scalebook-widget><figcaption>([\s\S]*?)<\/figcaption>/g))
      caps.push(m[1].replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  return caps;
}
const pdfPages = (buf) => (buf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;

// What the print page looks like: chapters, static figures (with their rendered size),
// whether the chrome is visible, and links to missing anchors.
async function inspect(page) {
  return page.evaluate(() => {
    const vis = (sel) => Array.from(document.querySelectorAll(sel)).some((e) => {
      const r = e.getBoundingClientRect(); const cs = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
    });
    return {
      chapters: Array.from(document.querySelectorAll('section.sb-print-chapter')).map((s) => ({
        id: s.id, label: s.getAttribute('aria-label'),
        h1: (() => { const h = s.querySelector('h1'); return h ? h.firstChild.textContent.trim() : null; })()
      })),
      live: document.querySelectorAll('scalebook-widget, canvas').length,
      figures: Array.from(document.querySelectorAll('figure.sb-widget-static')).map((f) => {
        const r = f.getBoundingClientRect();
        const box = f.querySelector('.sb-widget-static-box');
        const online = f.querySelector('.sb-widget-online a');
        return { caption: (f.querySelector('figcaption') || {}).textContent || '', text: box ? box.textContent.trim() : '',
          w: r.width, h: r.height, boxH: box ? box.getBoundingClientRect().height : 0, online: online ? online.getAttribute('href') : null };
      }),
      chrome: { topbar: vis('.sb-topbar'), sidebar: vis('.sb-sidebar'), search: vis('#sb-search-input'), outline: vis('.sb-aside'),
        pager: vis('.sb-pager'), help: vis('#sb-help'), printButton: vis('[data-sb-print]') },
      brokenAnchors: Array.from(document.querySelectorAll('.sb-content a[href^="#"]')).map((a) => a.getAttribute('href'))
        .filter((h) => h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1)))),
      words: document.querySelector('.sb-content').innerText.split(/\s+/).filter(Boolean).length
    };
  });
}

async function checkPrintPage(browser, s, summaryFile, mode, pdfBounds) {
  const { context, problems } = await recordingContext(browser, s.base(mode));
  await context.addInitScript(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
  try {
    const page = await context.newPage();
    await page.goto(s.url(mode, 'print.html'));
    const order = summaryOrder(summaryFile);
    const screen = await inspect(page);
    // Every chapter page, in SUMMARY.md order, each with its own title as first heading.
    assert.deepEqual(screen.chapters.map((c) => c.id), order);
    for (const c of screen.chapters) {
      const html = fs.readFileSync(path.join(s.dir, c.id + '.html'), 'utf8');
      const own = (html.match(/<article class="sb-content">\s*<h1[^>]*>([^<]*)/) || [])[1];
      assert.ok(own, `chapter ${c.id}: no first heading in ${c.id}.html`);
      assert.equal(c.h1, own.replace(/&amp;/g, '&').replace(/&#39;/g, "'").trim(), `chapter ${c.id}: print page heading differs from the chapter page`);
    }
    // No live widget; one static figure per widget of the chapter pages, same captions, same order.
    assert.equal(screen.live, 0, 'the print page has a live widget or canvas');
    const captions = widgetsIn(s.dir, order);
    assert.ok(captions.length >= 1, 'the book has no widget to check');
    assert.deepEqual(screen.figures.map((f) => f.caption), captions);
    assert.deepEqual(screen.brokenAnchors, []);
    // On screen the chrome is there (so the print check below means something) …
    assert.ok(screen.chrome.topbar && screen.chrome.search && screen.chrome.sidebar && screen.chrome.printButton,
      `screen chrome: ${JSON.stringify(screen.chrome)}`);
    await page.click('[data-sb-print]');
    assert.equal(await page.evaluate(() => window.__printed), 1, 'the Print button did not call window.print()');

    // … and in print it is not; every static figure has text and a real size.
    await page.emulateMedia({ media: 'print' });
    const printed = await inspect(page);
    assert.deepEqual(printed.chrome, { topbar: false, sidebar: false, search: false, outline: false, pager: false, help: false, printButton: false });
    printed.figures.forEach((f, i) => {
      const label = `static figure #${i} (${f.caption.slice(0, 40)})`;
      assert.ok(f.caption.trim().length > 5, `${label}: empty caption`);
      assert.match(f.text, /^Interactive widget: .{10,}/, `${label}: no description`);
      assert.match(f.text, /Run it online: /, `${label}: no link to the live page`);
      assert.ok(f.w > 200 && f.h > 40 && f.boxH > 20, `${label}: collapsed in print (${f.w}×${f.h}, box ${f.boxH})`);
    });
    // The "run it online" links point at the chapter page of the widget (a real section of it).
    for (const f of printed.figures) assert.match(f.online, /^[a-z0-9-]+\.html#[a-z0-9-]+$/, f.online);

    const t0 = Date.now();
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    const pages = pdfPages(pdf);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const [lo, hi] = pdfBounds(printed.words, order.length);
    assert.ok(pages >= lo && pages <= hi, `PDF has ${pages} pages for ${printed.words} words and ${order.length} chapters; expected ${lo}–${hi}`);
    assert.deepEqual(problems, []);
    return { pages, words: printed.words, ms: Date.now() - t0, bytes: pdf.length };
  } finally { await context.close(); }
}

for (const mode of MODES) {
  test(`${mode}: fixture print page: chapters in SUMMARY order, static figures, no chrome in print, a PDF`, LIMIT, async (t) => {
    // A tiny book: the cover-less print page starts each chapter on a new page.
    const r = await checkPrintPage(browser, fixture, path.join(__dirname, 'fixtures', 'site', 'SUMMARY.md'), mode,
      (words, chapters) => [chapters, chapters + 3]);
    t.diagnostic(`fixture PDF: ${r.pages} pages, ${r.words} words, ${r.bytes} bytes, ${r.ms} ms`);
  });

  test(`${mode}: a chapter page printed while its widget runs prints the description, not an empty box`, LIMIT, async () => {
    const { context, problems } = await recordingContext(browser, fixture.base(mode));
    try {
      const page = await context.newPage();
      await page.goto(fixture.url(mode, 'beta.html'));
      await page.locator('scalebook-widget').scrollIntoViewIfNeeded();
      await widgetsReady(page, 60000);
      assert.equal(await page.$eval('scalebook-widget', (w) => w.scalebook.error()), null);
      await page.emulateMedia({ media: 'print' });
      const fig = await page.$eval('figure.sb-widget-figure', (f) => {
        const visibleText = (root) => {
          let s = '';
          const walk = (n) => {
            if (n.nodeType === 3) { s += n.nodeValue; return; }
            if (n.nodeType !== 1) return;
            const cs = getComputedStyle(n);
            if (cs.display === 'none' || cs.visibility === 'hidden') return;
            n.childNodes.forEach(walk);
          };
          walk(root);
          return s.replace(/\s+/g, ' ').trim();
        };
        const cap = f.querySelector('figcaption');
        const r = f.getBoundingClientRect();
        return { text: visibleText(f), caption: cap ? visibleText(cap) : '', w: r.width, h: r.height,
          canvasShown: Array.from(f.querySelectorAll('canvas')).some((c) => getComputedStyle(c).display !== 'none') };
      });
      assert.equal(fig.canvasShown, false, 'a canvas prints (as a blank or half-drawn box)');
      assert.equal(fig.caption, 'The marmotwidget waves in the beta chapter.');
      assert.match(fig.text, /Interactive widget: Hello, widget\. A minimal widget/, `printed figure text: "${fig.text}"`);
      assert.ok(fig.w > 200 && fig.h > 40, `figure collapsed in print: ${fig.w}×${fig.h}`);
      // The chrome of a chapter page is hidden too.
      const chrome = await page.evaluate(() => ['.sb-topbar', '.sb-sidebar', '.sb-aside', '.sb-pager']
        .map((s) => { const e = document.querySelector(s); return e ? getComputedStyle(e).display : 'none'; }));
      assert.deepEqual(chrome, ['none', 'none', 'none', 'none']);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test(`${mode}: the real book's print page: every chapter in SUMMARY order, every widget static, a plausible PDF`, LIMIT, async (t) => {
    // ~250–650 words a page of A4 in 11 pt with code and tables; each chapter starts a page.
    const r = await checkPrintPage(browser, book, path.join(book.dir, '..', '..', '..', 'content', 'SUMMARY.md'), mode,
      (words, chapters) => [Math.max(chapters, Math.floor(words / 650)), Math.ceil(words / 250) + chapters]);
    t.diagnostic(`book PDF: ${r.pages} pages, ${r.words} words, ${(r.bytes / 1e6).toFixed(1)} MB, ${r.ms} ms`);
  });
}
