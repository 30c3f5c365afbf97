/* chainkg map page, first frame. Draws the map on a plain canvas from the positions laid
   out in Python (viz/layout.py), before vis-network (0.47 MB of JavaScript) is compiled,
   then starts vis-network, which takes over the same view. Data strings are canvas text
   (fillText), never markup. A click that comes before vis-network has taken over is kept
   and replayed on it. See docs/maps.md, "Start-up". */
var chainkgFirstFrame = (function () {
  'use strict';

  function mark(name) { if (performance.mark) performance.mark('chainkg.first-frame:' + name); return performance.now(); }
  var first = {canvas: null, start: mark('start'), fit: null, drawnAt: null, interactiveAt: null, nodes: 0, labels: [],
    view: null, clicks: []};
  // The page's data, state and DOM (legend, filters, count: the map's final size); vis-network later.
  var page = chainkgStartMap();
  var DATA = page.data;
  var META = DATA.meta, OPT = DATA.options;
  var FACE = OPT.nodes.font.face;
  var THRESHOLD = OPT.nodes.scaling.label.drawThreshold - 1;  // vis-network's rule
  var MAX_VISIBLE = OPT.nodes.scaling.label.maxVisible;
  var container = document.getElementById('map');
  var canvas = document.createElement('canvas');
  canvas.id = 'first-frame';
  first.canvas = canvas;
  canvas.setAttribute('aria-hidden', 'true');
  canvas.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;cursor:progress';
  var ctx = canvas.getContext('2d');

  // Node records share their look through DATA.shared (viz/page.py); vis-network's own
  // defaults fill what neither gives (box margin 5, dot size 25, border 1, radius 6).
  function look(n) {
    var s = DATA.shared[n.s] || {}, out = {};
    for (var k in s) out[k] = s[k];
    for (k in n) out[k] = n[k];
    return out;
  }
  var pageName = META.page || '';
  var items = [];
  DATA.nodes.forEach(function (raw) {
    var n = look(raw);
    if (n.hidden || (pageName && n.pos && !n.pos[pageName])) return;
    var font = n.font || {};
    var size = font.size || OPT.nodes.font.size;
    var lines = String(n.label === undefined || n.label === null ? '' : n.label).split('\n');
    ctx.font = size + 'px ' + FACE;
    var margin = typeof n.margin === 'number' ? n.margin : 5;
    var max = n.widthConstraint && n.widthConstraint.maximum;
    if (max) lines = wrap(lines, max - 2 * margin);
    var width = 0;
    lines.forEach(function (line) { width = Math.max(width, ctx.measureText(line).width); });
    var item = {id: n.id, x: n.x || 0, y: n.y || 0, shape: n.shape || 'dot', n: n, lines: lines,
      size: size, textW: width, textH: lines.length * size, color: font.color || OPT.nodes.font.color};
    if (item.shape === 'box' || item.shape === 'text' || item.shape === 'ellipse') {
      item.w = width + 2 * margin;
      item.h = item.textH + 2 * margin;
      if (item.shape === 'ellipse') { item.w = Math.max(item.w * 1.2, item.h * 1.2); item.h = Math.max(item.h * 1.1, 1); }
      if (max) item.w = Math.min(Math.max(item.w, 0), max);
      item.box = {l: item.x - item.w / 2, r: item.x + item.w / 2, t: item.y - item.h / 2, b: item.y + item.h / 2};
    } else {
      item.r = typeof n.size === 'number' ? n.size : 25;
      item.box = {l: Math.min(item.x - item.r, item.x - width / 2), r: Math.max(item.x + item.r, item.x + width / 2),
        t: item.y - item.r, b: item.y + item.r + (lines[0] ? item.textH : 0)};
    }
    items.push(item);
  });
  var byId = Object.create(null);
  items.forEach(function (it) { byId[it.id] = it; });

  function wrap(lines, max) {
    var out = [];
    lines.forEach(function (line) {
      var cur = '';
      for (var i = 0; i < line.length; i++) {
        if (cur && ctx.measureText(cur + line[i]).width > max) { out.push(cur); cur = ''; }
        cur += line[i];
      }
      out.push(cur);
    });
    return out;
  }

  // The view vis-network's fit() chooses: the nodes' bounding boxes, 10 % air.
  function fitView(w, h) {
    var l = Infinity, r = -Infinity, t = Infinity, b = -Infinity;
    items.forEach(function (it) {
      l = Math.min(l, it.box.l); r = Math.max(r, it.box.r); t = Math.min(t, it.box.t); b = Math.max(b, it.box.b);
    });
    if (!items.length) { l = r = t = b = 0; }
    var scale = Math.min(w / (1.1 * Math.abs(r - l) || 1), h / (1.1 * Math.abs(b - t) || 1));
    scale = Math.min(Math.max(scale, 1e-5), 10);
    return {x: (l + r) / 2, y: (t + b) / 2, scale: scale};
  }

  function labelPx(it, scale) {
    var px = it.size * scale;
    if (px < THRESHOLD) return 0;
    return Math.min(px, MAX_VISIBLE) / scale;
  }

  function drawLines(it, cx, cy, scale) {
    var size = labelPx(it, scale);
    if (!size || !it.lines.join('')) return;
    ctx.font = size + 'px ' + FACE;
    ctx.fillStyle = it.color;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    var top = cy - (it.lines.length * size) / 2;
    it.lines.forEach(function (line, i) { ctx.fillText(line, cx, top + (i + 0.5) * size); });
    first.labels.push(it.lines.join('\n'));
  }

  function star(x, y, r) {
    ctx.beginPath();
    r *= 0.82;
    y += 0.1 * r;
    for (var i = 0; i < 10; i++) {
      var radius = i % 2 === 0 ? r * 1.3 : r * 0.5;
      ctx.lineTo(x + radius * Math.sin((i * 2 * Math.PI) / 10), y - radius * Math.cos((i * 2 * Math.PI) / 10));
    }
    ctx.closePath();
  }

  function drawNode(it, scale) {
    var n = it.n, color = n.color || {};
    var bg = typeof color === 'string' ? color : color.background || '#D2E5FF';
    var border = typeof color === 'string' ? color : color.border || '#2B7CE9';
    // vis-network keeps borders as wide on screen at every zoom
    ctx.lineWidth = Math.min(it.w || 2 * it.r, (typeof n.borderWidth === 'number' ? n.borderWidth : 1) / scale);
    var dashes = n.shapeProperties && n.shapeProperties.borderDashes;
    ctx.setLineDash(Array.isArray(dashes) ? dashes : dashes ? [5, 15] : []);
    ctx.fillStyle = bg;
    ctx.strokeStyle = border;
    if (it.shape === 'text') {
      // text only
    } else if (it.shape === 'box') {
      ctx.beginPath();
      ctx.roundRect(it.box.l, it.box.t, it.w, it.h, 6);
      ctx.fill(); ctx.stroke();
    } else if (it.shape === 'ellipse') {
      ctx.beginPath();
      ctx.ellipse(it.x, it.y, it.w / 2, it.h / 2, 0, 0, 2 * Math.PI);
      ctx.fill(); ctx.stroke();
    } else {
      if (it.shape === 'star') star(it.x, it.y, it.r);
      else { ctx.beginPath(); ctx.arc(it.x, it.y, it.r, 0, 2 * Math.PI); }
      ctx.fill(); ctx.stroke();
    }
    ctx.setLineDash([]);
    var inside = it.shape === 'box' || it.shape === 'text' || it.shape === 'ellipse';
    var labelY = inside ? it.y : it.y + it.r + (it.lines.length * (labelPx(it, scale) || it.size)) / 2;
    drawLines(it, it.x, labelY, scale);
  }

  // Where a line from the centre of `it` towards (x, y) leaves its shape.
  function border(it, x, y) {
    var dx = x - it.x, dy = y - it.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
    if (it.r) return {x: it.x + (dx / d) * it.r, y: it.y + (dy / d) * it.r};
    var k = Math.min(Math.abs(dx) > 1e-9 ? (it.w / 2) / Math.abs(dx) : Infinity,
      Math.abs(dy) > 1e-9 ? (it.h / 2) / Math.abs(dy) : Infinity);
    return {x: it.x + dx * Math.min(k, 1), y: it.y + dy * Math.min(k, 1)};
  }

  function drawEdge(e, scale) {
    var a = byId[e.from], b = byId[e.to];
    if (!a || !b || e.hidden) return;
    var smooth = e.smooth && e.smooth.enabled !== false && e.smooth.type === 'curvedCW';
    var via = null;
    if (smooth) {  // vis-network's curvedCW control point (its EdgeBase, as written there)
      var f = 0.5 * (typeof e.smooth.roundness === 'number' ? e.smooth.roundness : 0.5) + 0.5;
      var dx = b.x - a.x, dy = a.y - b.y, radius = Math.sqrt(dx * dx + dy * dy);
      var angle = (Math.atan2(dy, dx) + f * Math.PI) % (2 * Math.PI);
      via = {x: a.x + f * radius * Math.sin(angle), y: a.y + f * radius * Math.cos(angle)};
    }
    var p0 = border(a, via ? via.x : b.x, via ? via.y : b.y);
    var p1 = border(b, via ? via.x : a.x, via ? via.y : a.y);
    var color = (e.color && (e.color.color || e.color)) || '#848484';
    ctx.strokeStyle = ctx.fillStyle = typeof color === 'string' ? color : '#848484';
    ctx.lineWidth = Math.max(e.width || 1, 0.3 / scale);
    ctx.setLineDash(Array.isArray(e.dashes) ? e.dashes : e.dashes ? [5, 5] : []);
    ctx.beginPath();
    ctx.moveTo(p0.x, p0.y);
    if (via) ctx.quadraticCurveTo(via.x, via.y, p1.x, p1.y); else ctx.lineTo(p1.x, p1.y);
    ctx.stroke();
    ctx.setLineDash([]);
    if (e.arrows === 'to' || (e.arrows && e.arrows.to)) {
      var from = via || p0, len = (15 + 5 * (e.width || 1)) * 0.6;
      var ang = Math.atan2(p1.y - from.y, p1.x - from.x);
      ctx.beginPath();
      ctx.moveTo(p1.x, p1.y);
      ctx.lineTo(p1.x - len * Math.cos(ang - 0.35), p1.y - len * Math.sin(ang - 0.35));
      ctx.lineTo(p1.x - len * Math.cos(ang + 0.35), p1.y - len * Math.sin(ang + 0.35));
      ctx.closePath();
      ctx.fill();
    }
    if (e.label) {
      var font = e.font || {}, size = (font.size || 14) * scale;
      if (size < THRESHOLD) return;
      size = Math.min(size, MAX_VISIBLE) / scale;
      var mid = via ? {x: 0.25 * p0.x + 0.5 * via.x + 0.25 * p1.x, y: 0.25 * p0.y + 0.5 * via.y + 0.25 * p1.y}
        : {x: (p0.x + p1.x) / 2, y: (p0.y + p1.y) / 2};
      ctx.save();
      ctx.translate(mid.x, mid.y);
      if (font.align && font.align !== 'horizontal') {
        var rot = Math.atan2(p1.y - p0.y, p1.x - p0.x);
        if (rot > Math.PI / 2 || rot < -Math.PI / 2) rot += Math.PI;
        ctx.rotate(rot);
      }
      ctx.font = size + 'px ' + FACE;
      ctx.textAlign = 'center';
      ctx.textBaseline = font.align === 'top' ? 'bottom' : 'middle';
      if (font.strokeWidth) {
        ctx.lineWidth = font.strokeWidth;
        ctx.strokeStyle = font.strokeColor || '#ffffff';
        ctx.strokeText(e.label, 0, 0);
      }
      ctx.fillStyle = font.color || '#343434';
      ctx.fillText(e.label, 0, 0);
      ctx.restore();
    }
  }

  function draw() {
    var w = container.clientWidth, h = container.clientHeight, ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    var view = fitView(w, h);
    first.fit = {position: {x: view.x, y: view.y}, scale: view.scale};
    // On a phone the whole map at "fit" has no legible label: zoom in as the page does
    // once vis-network has taken over (map.js, phoneStart).
    if (w <= 700) {
      var big = 0;
      items.forEach(function (it) { if (it.n.kind !== 'heading' && it.size > big) big = it.size; });
      if (big && 13 / big > view.scale) view = {x: view.x, y: view.y, scale: Math.min(13 / big, 2)};
    }
    first.view = view;
    ctx.setTransform(ratio * view.scale, 0, 0, ratio * view.scale,
      ratio * (w / 2 - view.x * view.scale), ratio * (h / 2 - view.y * view.scale));
    (META.bands || []).forEach(function (band) {
      if (band.page && band.page !== pageName) return;
      ctx.fillStyle = band.color;
      ctx.fillRect(band.x0, band.y0, band.x1 - band.x0, band.y1 - band.y0);
    });
    first.labels = [];
    DATA.edges.forEach(function (e) { drawEdge(e, view.scale); });
    items.forEach(function (it) { drawNode(it, view.scale); });
    first.nodes = items.length;
  }

  // Which node a click on the first frame hit (the topmost, as vis-network picks it).
  function nodeAt(px, py) {
    var v = first.view, rect = canvas.getBoundingClientRect();
    var x = (px - rect.left - rect.width / 2) / v.scale + v.x, y = (py - rect.top - rect.height / 2) / v.scale + v.y;
    for (var i = items.length - 1; i >= 0; i--) {
      var it = items[i];
      var hit = it.r ? (x - it.x) * (x - it.x) + (y - it.y) * (y - it.y) <= it.r * it.r
        : x >= it.box.l && x <= it.box.r && y >= it.box.t && y <= it.box.b;
      if (hit) return it.id;
    }
    return null;
  }
  canvas.addEventListener('click', function (ev) {
    first.clicks.push({id: nodeAt(ev.clientX, ev.clientY), x: ev.clientX, y: ev.clientY});
    var note = document.getElementById('loading');
    if (note) note.textContent = '正在载入交互…';
  });

  container.appendChild(canvas);
  draw();
  var loading = document.getElementById('loading');
  if (loading) loading.textContent = '';

  // The frame is on screen after the next animation frame; a task posted from there runs
  // once it is done. Then vis-network is compiled (it sits unexecuted in #vis-network:
  // the same text, so the same hash in the page's CSP) and the page's code starts.
  requestAnimationFrame(function () {
    first.drawnAt = mark('drawn');
    var channel = new MessageChannel();
    channel.port1.onmessage = function () {
      first.interactiveAt = mark('interactive');
      // Tests hold the first frame (window.chainkgHoldFirstFrame, set before the page
      // loads) to look at it and click on it; first.release() then starts vis-network.
      // vis-network in a task of its own: this one ends here, and a click is taken at once.
      if (window.chainkgHoldFirstFrame) first.release = startVis; else setTimeout(startVis, 0);
    };
    channel.port2.postMessage(0);
  });

  function startVis() {
    var script = document.createElement('script');
    script.textContent = document.getElementById('vis-network').textContent;
    document.body.appendChild(script);  // runs now: an inline script, allowed by its hash
    page.takeOver();
  }

  // Where node `id` is on the page (client coordinates), or null when not drawn.
  first.position = function (id) {
    var it = byId[id], v = first.view, rect = canvas.getBoundingClientRect();
    if (!it) return null;
    return {x: rect.left + rect.width / 2 + (it.x - v.x) * v.scale, y: rect.top + rect.height / 2 + (it.y - v.y) * v.scale};
  };


  // vis-network has drawn its first frame: the canvas goes, the kept click is replayed.
  first.handOver = function (network, onClick) {
    canvas.remove();
    var click = first.clicks[first.clicks.length - 1];
    if (click && click.id !== null && network.body.data.nodes.get(click.id)) {
      network.selectNodes([click.id]);
      onClick({nodes: [click.id], edges: [], pointer: {DOM: {x: click.x, y: click.y}}});
    }
    first.handedOverAt = mark('handover');
  };
  return first;
})();
