// 55-dom.js — the stylesheet (widget.css as WIDGET_CSS) and a tiny DOM builder.
// One part of the widget loader scalebook.js (the list is in 10-config.js).
// ---------------------------------------------------------------- [SECTION] styles
// The stylesheet is web/loader/widget.css, carried by the assembled loader as WIDGET_CSS.
function injectStyle() {
  if (document.getElementById('sbw-style')) return;
  var st = document.createElement('style');
  st.id = 'sbw-style';
  st.textContent = WIDGET_CSS;
  (document.head || document.documentElement).appendChild(st);
}

function h(tag, props, children) { // tiny DOM builder: properties and text only, never HTML
  var e = document.createElement(tag);
  if (props) Object.keys(props).forEach(function (k) {
    if (k === 'text') e.textContent = props[k];
    else if (k.indexOf('aria-') === 0 || k === 'role' || k === 'for' || k.indexOf('data-') === 0) e.setAttribute(k, props[k]);
    else e[k] = props[k];
  });
  (children || []).forEach(function (c) { if (c) e.appendChild(c); });
  return e;
}
