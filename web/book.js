/* book.js — the book's reading UI. A classic script (works from file://).
 *
 * [SECTION] theme · menu · help + shortcuts · search · outline · highlight on arrival
 *           print fallback for widgets · print button · live reload (serve) · service worker + manifest (http only)
 *
 * Stored settings (localStorage): scalebook-theme = light|dark (absent = system),
 * scalebook-shortcuts = off (absent = on).
 */
(function () {
  'use strict';
  var root = document.documentElement;
  var store = {
    get: function (k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { if (v === null) localStorage.removeItem(k); else localStorage.setItem(k, v); } catch (e) {} }
  };
  function $(id) { return document.getElementById(id); }

  // [SECTION] theme: light / dark / system, applied as <html data-theme> (the widget loader watches it)
  var THEME_KEY = 'scalebook-theme';
  var systemDark = window.matchMedia ? matchMedia('(prefers-color-scheme: dark)') : null;
  function themeChoice() { var t = store.get(THEME_KEY); return t === 'light' || t === 'dark' ? t : 'system'; }
  function systemTheme() { return systemDark && systemDark.matches ? 'dark' : 'light'; }
  function opposite(t) { return t === 'dark' ? 'light' : 'dark'; }
  // Every click changes what the reader sees first: system → the opposite of the
  // system's look → the other explicit theme → back to system.
  function nextChoice(choice) {
    if (choice === 'system') return opposite(systemTheme());
    if (choice === opposite(systemTheme())) return systemTheme();
    return 'system';
  }
  function applyTheme() {
    var choice = themeChoice();
    var effective = choice === 'system' ? systemTheme() : choice;
    if (root.getAttribute('data-theme') !== effective) root.setAttribute('data-theme', effective);
    var b = $('sb-theme-toggle');
    if (b) {
      var next = nextChoice(choice);
      b.setAttribute('aria-label', 'Theme: ' + choice + ' (switch to ' + next + ')');
      b.title = 'Theme: ' + choice + ' — click for ' + next + ' (t)';
      b.setAttribute('data-choice', choice);
    }
  }
  function cycleTheme() {
    var next = nextChoice(themeChoice());
    store.set(THEME_KEY, next === 'system' ? null : next);
    applyTheme();
  }
  if (systemDark) {
    var onSystem = function () { if (themeChoice() === 'system') applyTheme(); };
    if (systemDark.addEventListener) systemDark.addEventListener('change', onSystem); else systemDark.addListener(onSystem);
  }
  window.addEventListener('storage', function (e) { if (e.key === THEME_KEY) applyTheme(); });
  applyTheme();
  if ($('sb-theme-toggle')) $('sb-theme-toggle').addEventListener('click', cycleTheme);

  // [SECTION] menu (narrow screens: the sidebar is a drawer)
  var menu = $('sb-menu-toggle');
  var sidebar = $('sb-sidebar');
  function setMenu(open) {
    document.body.classList.toggle('sb-nav-open', open);
    if (menu) menu.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  if (menu) {
    menu.addEventListener('click', function () {
      var open = !document.body.classList.contains('sb-nav-open');
      setMenu(open);
      if (open && sidebar) { var a = sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector('a'); if (a) a.focus(); }
    });
    document.addEventListener('click', function (e) {
      if (document.body.classList.contains('sb-nav-open') && sidebar && !sidebar.contains(e.target) && !menu.contains(e.target)) setMenu(false);
    });
  }
  if (sidebar) {
    var current = sidebar.querySelector('[aria-current="page"]');
    if (current) sidebar.scrollTop = Math.max(0, current.offsetTop - sidebar.clientHeight / 3);
  }

  // [SECTION] help dialog and keyboard shortcuts
  var SHORTCUTS_KEY = 'scalebook-shortcuts';
  var help = $('sb-help');
  var shortcutsBox = $('sb-shortcuts-enabled');
  function shortcutsOn() { return store.get(SHORTCUTS_KEY) !== 'off'; }
  if (shortcutsBox) {
    shortcutsBox.checked = shortcutsOn();
    shortcutsBox.addEventListener('change', function () { store.set(SHORTCUTS_KEY, shortcutsBox.checked ? null : 'off'); });
  }
  function openHelp() {
    if (!help) return;
    if (shortcutsBox) shortcutsBox.checked = shortcutsOn();
    if (typeof help.showModal === 'function') { if (!help.open) help.showModal(); } else help.setAttribute('open', '');
  }
  if ($('sb-help-button')) $('sb-help-button').addEventListener('click', openHelp);

  function typingIn(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable ||
      !!(el.closest && el.closest('scalebook-widget, dialog'));
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') {
      if (document.body.classList.contains('sb-nav-open')) { setMenu(false); if (menu) menu.focus(); }
      return;
    }
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typingIn(document.activeElement)) return;
    if (!shortcutsOn()) return;
    var link = null;
    if (e.key === 'ArrowLeft') link = document.querySelector('a[rel="prev"]');
    else if (e.key === 'ArrowRight') link = document.querySelector('a[rel="next"]');
    if (link) { e.preventDefault(); location.href = link.href; return; }
    if (e.key === '/' || (e.key === 's' && !e.shiftKey)) {
      var input = $('sb-search-input');
      if (input) { e.preventDefault(); input.focus(); input.select(); }
    } else if (e.key === '?') {
      e.preventDefault(); openHelp();
    } else if (e.key === 't') {
      e.preventDefault(); cycleTheme();
    }
  });

  // [SECTION] search: the index is a classic script (assets/search-index.js), loaded on first use
  var input = $('sb-search-input');
  var results = $('sb-search-results');
  var status = $('sb-search-status');
  var index = null;       // {sections, vocab (sorted), postings: word → [[section, weight]...]}
  var loading = null;
  var selected = -1;

  function tokenize(text) {
    return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[a-z0-9][a-z0-9_+#.-]*[a-z0-9+#]|[a-z0-9]/g) || [];
  }
  function buildIndex(data) {
    var postings = Object.create(null);
    var sections = data.sections.map(function (s, i) {
      var page = data.pages[s[0]];
      var entry = { href: page[0] + (s[1] ? '#' + s[1] : ''), page: page[1], title: s[2] || page[1], text: s[3] };
      function add(words, weight) {
        for (var k = 0; k < words.length; k++) {
          var w = words[k];
          var list = postings[w] || (postings[w] = []);
          if (list.length && list[list.length - 1][0] === i) list[list.length - 1][1] += weight;
          else list.push([i, weight]);
        }
      }
      add(tokenize(entry.text), 1);
      add(tokenize(entry.title), 8);
      add(tokenize(page[1]), 3);
      return entry;
    });
    return { sections: sections, postings: postings, vocab: Object.keys(postings).sort() };
  }
  function loadIndex() {
    if (index) return Promise.resolve(index);
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      function done() { index = buildIndex(window.SCALEBOOK_SEARCH); resolve(index); }
      if (window.SCALEBOOK_SEARCH) return done();
      var s = document.createElement('script');
      s.src = 'assets/search-index.js';
      s.onload = done;
      s.onerror = function () { loading = null; reject(new Error('search index did not load')); };
      document.head.appendChild(s);
    });
    return loading;
  }
  // Words in the vocabulary starting with `prefix` (binary search on the sorted list).
  function expand(prefix, exactOnly) {
    if (exactOnly) return index.postings[prefix] ? [prefix] : [];
    var v = index.vocab, lo = 0, hi = v.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (v[mid] < prefix) lo = mid + 1; else hi = mid; }
    var out = [];
    for (var i = lo; i < v.length && v[i].lastIndexOf(prefix, 0) === 0 && out.length < 60; i++) out.push(v[i]);
    return out;
  }
  function search(query) {
    var terms = tokenize(query);
    if (!terms.length) return { terms: [], hits: [] };
    var n = index.sections.length;
    var scores = null;
    terms.forEach(function (term, ti) {
      var words = expand(term, term.length < 2 && ti < terms.length - 1);
      var termScores = Object.create(null);
      words.forEach(function (w) {
        var list = index.postings[w];
        var idf = Math.log(1 + n / list.length);
        var exact = w === term ? 1 : 0.6;
        for (var k = 0; k < list.length; k++) {
          var sec = list[k][0];
          termScores[sec] = (termScores[sec] || 0) + exact * idf * (1 + Math.log(list[k][1]));
        }
      });
      if (scores === null) scores = termScores;
      else {
        var merged = Object.create(null);
        for (var sec in scores) if (termScores[sec] !== undefined) merged[sec] = scores[sec] + termScores[sec];
        scores = merged;
      }
    });
    var hits = Object.keys(scores || {}).map(function (sec) { return { sec: +sec, score: scores[sec] }; });
    hits.sort(function (a, b) { return b.score - a.score || a.sec - b.sec; });
    return { terms: terms, hits: hits.slice(0, 25) };
  }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
  function termRegex(terms) { return new RegExp('(' + terms.map(escapeRe).join('|') + ')', 'gi'); }
  // Appends text to `el` with every term wrapped in <mark> (DOM nodes, never innerHTML).
  function appendMarked(el, text, re) {
    var last = 0, m;
    re.lastIndex = 0;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement('mark');
      mark.textContent = m[0];
      el.appendChild(mark);
      last = m.index + m[0].length;
      if (m[0].length === 0) re.lastIndex++;
    }
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }
  function snippet(text, re) {
    re.lastIndex = 0;
    var m = re.exec(text);
    var at = m ? m.index : 0;
    var start = Math.max(0, at - 60);
    if (start > 0) { var sp = text.indexOf(' ', start); if (sp !== -1 && sp < at) start = sp + 1; }
    var s = text.slice(start, start + 190).replace(/\s+/g, ' ');
    return (start > 0 ? '… ' : '') + s + (start + 190 < text.length ? ' …' : '');
  }
  function closeResults() {
    if (!results) return;
    results.hidden = true;
    selected = -1;
  }
  function render(query) {
    var r = search(query);
    results.textContent = '';
    selected = -1;
    if (!r.terms.length) { closeResults(); if (status) status.textContent = ''; return; }
    var re = termRegex(r.terms);
    if (!r.hits.length) {
      var p = document.createElement('p');
      p.className = 'sb-search-empty';
      p.textContent = 'No results for “' + query + '”.';
      results.appendChild(p);
    } else {
      var ol = document.createElement('ol');
      r.hits.forEach(function (h) {
        var s = index.sections[h.sec];
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = s.href;
        a.setAttribute('data-terms', r.terms.join(' '));
        var t = document.createElement('span'); t.className = 'sb-result-title'; appendMarked(t, s.title, re);
        var pg = document.createElement('span'); pg.className = 'sb-result-page'; pg.textContent = s.page;
        var sn = document.createElement('span'); sn.className = 'sb-result-snippet'; appendMarked(sn, snippet(s.text, re), re);
        a.appendChild(t); a.appendChild(pg); a.appendChild(sn);
        li.appendChild(a); ol.appendChild(li);
      });
      results.appendChild(ol);
    }
    results.hidden = false;
    if (status) status.textContent = r.hits.length ? r.hits.length + (r.hits.length === 25 ? '+' : '') + ' results' : 'No results';
  }
  function links() { return results ? results.querySelectorAll('a') : []; }
  function select(i) {
    var all = links();
    if (!all.length) return;
    if (selected >= 0 && all[selected]) all[selected].classList.remove('sb-selected');
    selected = (i + all.length) % all.length;
    all[selected].classList.add('sb-selected');
    all[selected].scrollIntoView({ block: 'nearest' });
  }
  if (input && results) {
    var pending = 0;
    input.addEventListener('focus', function () { loadIndex().catch(function () {}); });
    input.addEventListener('input', function () {
      var q = input.value;
      clearTimeout(pending);
      pending = setTimeout(function () {
        loadIndex().then(function () { if (input.value === q) render(q); }, function (err) {
          results.textContent = ''; var p = document.createElement('p'); p.className = 'sb-search-empty';
          p.textContent = 'Search is unavailable: ' + err.message; results.appendChild(p); results.hidden = false;
        });
      }, 60);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); select(selected + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); select(selected - 1); }
      else if (e.key === 'Enter') {
        var all = links();
        var a = all[selected >= 0 ? selected : 0];
        if (a) { e.preventDefault(); rememberTerms(a); location.href = a.href; }
      } else if (e.key === 'Escape') {
        if (!results.hidden) { e.preventDefault(); closeResults(); } else input.blur();
      }
    });
    results.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('a');
      if (a) { rememberTerms(a); closeResults(); }
    });
    document.addEventListener('click', function (e) {
      if (!results.hidden && !results.contains(e.target) && e.target !== input) closeResults();
    });
  }

  // [SECTION] highlight the searched terms in the section the reader arrives at
  var HIGHLIGHT_KEY = 'scalebook-highlight';
  function rememberTerms(a) { try { sessionStorage.setItem(HIGHLIGHT_KEY, a.getAttribute('data-terms') || ''); } catch (e) {} }
  function highlightArrival() {
    var terms = null;
    try { terms = sessionStorage.getItem(HIGHLIGHT_KEY); sessionStorage.removeItem(HIGHLIGHT_KEY); } catch (e) {}
    if (!terms) return;
    var content = document.querySelector('.sb-content');
    if (!content) return;
    var re = termRegex(terms.split(' ').filter(Boolean));
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentNode.closest('scalebook-widget, script, style, svg, mark') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var count = 0;
    nodes.forEach(function (n) {
      re.lastIndex = 0;
      if (count > 200 || !re.test(n.nodeValue)) return;
      var frag = document.createDocumentFragment();
      appendMarked(frag, n.nodeValue, re);
      count += frag.querySelectorAll ? frag.querySelectorAll('mark').length : 1;
      n.parentNode.replaceChild(frag, n);
    });
  }
  highlightArrival();
  window.addEventListener('hashchange', highlightArrival);

  // [SECTION] outline: mark the section being read
  var outlineLinks = document.querySelectorAll('.sb-outline a');
  if (outlineLinks.length && 'IntersectionObserver' in window) {
    var byId = {};
    var heads = [];
    outlineLinks.forEach(function (a) {
      var id = decodeURIComponent(a.getAttribute('href').slice(1));
      var h = document.getElementById(id);
      if (h) { byId[id] = a; heads.push(h); }
    });
    var visible = new Set();
    var activeLink = null;
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) { if (en.isIntersecting) visible.add(en.target); else visible.delete(en.target); });
      var top = null;
      for (var i = 0; i < heads.length; i++) {
        if (visible.has(heads[i])) { top = heads[i]; break; }
        if (heads[i].getBoundingClientRect().top < 80) top = heads[i];
      }
      if (!top) return;
      if (activeLink) activeLink.classList.remove('sb-active');
      activeLink = byId[top.id];
      if (activeLink) activeLink.classList.add('sb-active');
    }, { rootMargin: '-60px 0px -60% 0px' });
    heads.forEach(function (h) { io.observe(h); });
  }

  // [SECTION] wide code and tables: only the ones that actually scroll become
  // focusable (keyboard users can scroll them), labelled regions.
  function markScrollables() {
    var tables = 0, codes = 0;
    document.querySelectorAll('.sb-content pre, .sb-content .sb-table-wrap').forEach(function (el) {
      var isTable = el.classList.contains('sb-table-wrap');
      var n = isTable ? ++tables : ++codes;
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'region');
        el.setAttribute('aria-label', (isTable ? 'Table ' : 'Code block ') + n + ' (scrolls sideways)');
      } else if (!scrolls && el.getAttribute('tabindex') === '0') {
        el.removeAttribute('tabindex'); el.removeAttribute('role'); el.removeAttribute('aria-label');
      }
    });
  }
  markScrollables();
  var resizeTimer = 0;
  window.addEventListener('resize', function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(markScrollables, 150); });

  // [SECTION] print: a running widget prints as its text description. The loader replaces
  // the element's children (the build's .sb-fallback description) with a canvas and
  // controls, which print as a blank box and a row of buttons. This script runs before
  // the loader (see web/templates/page.html), so it copies each description next to
  // its widget; the print stylesheet shows the copy and hides the widget.
  document.querySelectorAll('scalebook-widget').forEach(function (w) {
    var fb = w.querySelector('.sb-fallback');
    var fig = w.parentNode;
    if (!fb || !fig || (w.nextElementSibling && w.nextElementSibling.classList.contains('sb-print-fallback'))) return;
    var copy = document.createElement('div');
    copy.className = 'sb-print-fallback';
    fb.querySelectorAll('p').forEach(function (p) { if (!p.closest('noscript')) copy.appendChild(p.cloneNode(true)); });
    if (!copy.firstChild) return;
    fig.insertBefore(copy, w.nextSibling);
    if (fig.classList) fig.classList.add('sb-has-print-fallback');
  });

  // [SECTION] print button on print.html
  document.querySelectorAll('[data-sb-print]').forEach(function (b) { b.addEventListener('click', function () { window.print(); }); });

  // [SECTION] http only: live reload (scalebook serve), manifest and service worker
  var overHttp = location.protocol === 'http:' || location.protocol === 'https:';
  var live = document.querySelector('meta[name="scalebook-live-reload"]');
  if (overHttp && live) {
    var SCROLL_KEY = 'scalebook-reload-scroll';
    try {
      var saved = sessionStorage.getItem(SCROLL_KEY);
      if (saved) { sessionStorage.removeItem(SCROLL_KEY); window.scrollTo(0, +saved); }
    } catch (e) {}
    var stamp = null;
    var poll = function () {
      fetch('assets/build-stamp.js', { cache: 'no-store' }).then(function (r) { return r.ok ? r.text() : null; }).then(function (t) {
        if (t === null) return;
        if (stamp === null) stamp = t;
        else if (t !== stamp) {
          try { sessionStorage.setItem(SCROLL_KEY, String(window.scrollY)); } catch (e) {}
          location.reload();
        }
      }).catch(function () {}).then(function () { setTimeout(poll, 1000); });
    };
    poll();
  }
  if (overHttp) {
    var link = document.createElement('link');
    link.rel = 'manifest';
    link.href = 'manifest.webmanifest';
    document.head.appendChild(link);
    if ('serviceWorker' in navigator && !live) {
      var registerWorker = function () {
        navigator.serviceWorker.register('sw.js').catch(function (e) { console.warn('offline reading unavailable: ' + e.message); });
      };
      if (document.readyState === 'complete') registerWorker(); else window.addEventListener('load', registerWorker);
    }
  }
})();
