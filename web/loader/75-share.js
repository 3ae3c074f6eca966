// 75-share.js — the Share panel.
// One part of the widget loader scalebook.js (the list is in 10-config.js).
// ---------------------------------------------------------------- [SECTION] share
Widget.prototype.index = function () {
  return Array.prototype.indexOf.call(document.querySelectorAll('scalebook-widget'), this.el);
};
Widget.prototype.snapshot = function () {
  var st = this.state();
  return { widget: st.widget, index: this.index(), params: st.params, seed: st.seed, time: st.sim_time_us, actions: st.actions || '' };
};
Widget.prototype.permalinkUrl = function () {
  return location.href.replace(/#.*$/, '') + '#' + encodePermalink(this.snapshot());
};
Widget.prototype.embedSnippet = function () {
  var s = this.snapshot();
  var el = document.createElement('scalebook-widget-snippet'); // serialised, never inserted
  el.setAttribute('name', s.widget);
  Object.keys(s.params).forEach(function (k) { el.setAttribute(k, s.params[k]); });
  el.setAttribute('seed', String(s.seed));
  var attrs = el.outerHTML.replace(/^<scalebook-widget-snippet/, '<scalebook-widget').replace(/<\/scalebook-widget-snippet>$/, '</scalebook-widget>');
  return '<script src="' + attrEscape(scriptUrl) + '" defer></script>\n' + attrs;
};
Widget.prototype.iframeSnippet = function () {
  var s = this.snapshot();
  s.index = 0;
  var url = base + 'embed.html#' + encodePermalink(s);
  var title = (this.info && this.info.title) || s.widget;
  return '<iframe src="' + attrEscape(url) + '" title="' + attrEscape(title) +
    '" loading="lazy" style="width:100%;height:520px;border:0"></iframe>';
};
function attrEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

Widget.prototype.openShare = function () {
  if (!this.details) return;
  this.details.open = true;
  this.toggleShare(true);
};
Widget.prototype.toggleShare = function (forceOpen) {
  var panel = this.sharePanel, self = this;
  var open = forceOpen === true ? true : panel.hidden;
  this.shareBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
  if (!open) { panel.hidden = true; return; }
  var items = [ // [label, text, what the Copy button copies]
    ['Permalink — this exact run: parameters, seed and simulated time', this.permalinkUrl(), 'the permalink'],
    ['Embed in your page — one script tag and one element', this.embedSnippet(), 'the embed snippet'],
    ['Embed with an iframe', this.iframeSnippet(), 'the iframe snippet']
  ];
  var uid = this.canvas ? this.canvas.id : 'sbw-' + (++counter);
  // The label names its textarea only (a label around the Copy button too would add
  // "Copy" to the textarea's name); each Copy button says what it copies.
  panel.replaceChildren.apply(panel, items.map(function (it, i) {
    var taId = uid + '-share-' + i;
    var ta = h('textarea', { id: taId, readOnly: true, rows: i === 0 ? 2 : 3, value: it[1], spellcheck: false });
    var copy = h('button', { type: 'button', text: 'Copy', 'aria-label': 'Copy ' + it[2] });
    copy.addEventListener('click', function () {
      ta.select();
      var done = function () { copy.textContent = 'Copied'; setTimeout(function () { copy.textContent = 'Copy'; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(ta.value).then(done, function () {
        try { document.execCommand('copy'); done(); } catch (e) { /* the text stays selected for the reader */ }
      });
      else { try { document.execCommand('copy'); done(); } catch (e) { /* selected */ } }
    });
    return h('div', { className: 'sbw-share-item' }, [h('label', { htmlFor: taId, text: it[0] }), ta, copy]);
  }));
  panel.hidden = false;
  var first = panel.querySelector('textarea');
  if (first && forceOpen === true) { first.focus({ preventScroll: false }); first.select(); }
  self.wake();
};
