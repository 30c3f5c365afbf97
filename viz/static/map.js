/* chainkg map page. Every string from the data is shown as text: DOM text nodes
   (textContent) or vis-network canvas labels, never parsed as markup. */
(function () {
  'use strict';

  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById('map-data').textContent);
  var META = DATA.meta;
  var SHARED = DATA.shared, STR = DATA.strings;
  var T_PARSED = performance.now();
  var ALL = Object.create(null);       // every node record, drawn or folded, by id
  var BASE = Object.create(null);      // original colour and font of drawn nodes
  var OUT = Object.create(null);       // flow adjacency: id -> [downstream ids]
  var IN = Object.create(null);        // id -> [upstream ids]
  var MEMBERS = Object.create(null);   // segment id -> ids of enterprises hung off it
  var DIM_NODE = {background: '#f1f3f5', border: '#dee2e6',
    highlight: {background: '#f1f3f5', border: '#adb5bd'}, hover: {background: '#f1f3f5', border: '#adb5bd'}};
  var DIM_EDGE = {color: '#e9ecef'};
  var state = {hiddenCats: Object.create(null), expanded: Object.create(null),
    filters: {stage: '', status: '', city: '', flags: []}, highlighted: null};

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function remember(record) {
    ALL[record.id] = record;
    if (record.anchor && record.kind === 'enterprise') {
      (MEMBERS[record.anchor] = MEMBERS[record.anchor] || []).push(record.id);
    }
  }
  function link(edge) {
    if (!edge.flow) return;
    (OUT[edge.from] = OUT[edge.from] || []).push(edge.to);
    (IN[edge.to] = IN[edge.to] || []).push(edge.from);
  }
  DATA.nodes.forEach(function (n) { remember(unpack(n)); });
  Object.keys(DATA.folds).forEach(function (fid) {
    DATA.folds[fid].nodes.forEach(function (n) { remember(unpack(n)); });
    DATA.folds[fid].edges.forEach(link);
  });
  DATA.edges.forEach(link);

  // Records share their look, kind and segment through DATA.shared (see viz/page.py);
  // facts are flat lists of indexes into DATA.strings: label, value, label, value ...
  function unpack(n) {
    var shared = SHARED[n.s];
    for (var k in shared) if (!(k in n)) n[k] = shared[k];
    return n;
  }
  function pairs(list) {
    var out = [];
    for (var i = 0; list && i + 1 < list.length; i += 2) out.push([STR[list[i]], STR[list[i + 1]]]);
    return out;
  }

  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById('map');
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);

  var api = {
    ready: false, readyAt: null, kind: META.kind, network: network, nodes: nodes, edges: edges,
    errors: [],
    counts: function () {
      var byKind = {}, visible = 0;
      nodes.forEach(function (n) {
        byKind[n.kind] = (byKind[n.kind] || 0) + 1;
        if (!n.hidden) visible += 1;
      });
      return {drawn: nodes.length, visible: visible, edges: edges.length, byKind: byKind,
        total: Object.keys(ALL).length};
    },
    search: search, focus: focusNode, expand: expand, highlight: highlight, reset: reset,
    applyFilters: applyFilters, toggleCategory: toggleCategory, exportPng: pngDataUrl,
    detailText: function () { return document.getElementById('detail').textContent; }
  };
  window.chainkgMap = api;

  function rememberBase(list) {
    list.forEach(function (n) { BASE[n.id] = {color: n.color, font: n.font}; });
  }
  rememberBase(DATA.nodes);

  var T_NETWORK = performance.now();
  network.once('afterDrawing', function () {
    api.ready = true;
    api.readyAt = performance.now();
    api.timings = {scriptStart: T0, parsed: T_PARSED, network: T_NETWORK, drawn: api.readyAt};
    var loading = document.getElementById('loading');
    if (loading) loading.remove();
  });

  // --- folding -------------------------------------------------------------------------
  function expand(fid) {
    var fold = DATA.folds[fid];
    if (!fold || state.expanded[fid]) return 0;
    state.expanded[fid] = true;
    var add = fold.nodes.map(function (n) { return Object.assign({}, n, {hidden: !visible(n)}); });
    rememberBase(add);
    nodes.remove(fid);
    nodes.add(add);
    edges.add(fold.edges);
    return add.length;
  }

  function collapseAll() {
    Object.keys(state.expanded).forEach(function (fid) {
      var fold = DATA.folds[fid];
      nodes.remove(fold.nodes.map(function (n) { return n.id; }));
      edges.remove(fold.edges.map(function (e) { return e.id; }));
      var original = DATA.nodes.filter(function (n) { return n.id === fid; });
      nodes.add(original);
    });
    state.expanded = Object.create(null);
  }

  // --- filters and legend ----------------------------------------------------------------
  function visible(n) {
    if (state.hiddenCats[n.cat]) return false;
    var f = state.filters;
    if (n.kind === 'segment' || n.kind === 'enterprise' || n.kind === 'fold') {
      if (f.stage && n.stage !== f.stage) return false;
      if (f.status && n.status !== f.status) return false;
    }
    if (n.kind === 'enterprise') {
      if (f.city && n.city !== f.city) return false;
      for (var i = 0; i < f.flags.length; i++) {
        if ((n.flags || []).indexOf(f.flags[i]) < 0) return false;
      }
    }
    return true;
  }

  function applyFilters() {
    var updates = [];
    nodes.forEach(function (n) {
      var hide = !visible(n);
      if (!!n.hidden !== hide) updates.push({id: n.id, hidden: hide});
    });
    if (updates.length) nodes.update(updates);
    return api.counts().visible;
  }

  function toggleCategory(cat) {
    state.hiddenCats[cat] = !state.hiddenCats[cat];
    var item = document.querySelector('#legend-items li[data-cat="' + CSS.escape(cat) + '"]');
    if (item) item.classList.toggle('off', !!state.hiddenCats[cat]);
    return applyFilters();
  }

  function buildLegend() {
    var list = document.getElementById('legend-items');
    DATA.legend.forEach(function (entry) {
      var li = el('li');
      li.dataset.cat = entry.cat;
      var sw = el('span', null, 'swatch ' + entry.shape);
      sw.style.background = entry.color;
      sw.style.borderColor = entry.border || entry.color;
      if (entry.shape === 'star') sw.style.background = entry.border || entry.color;
      li.appendChild(sw);
      li.appendChild(el('span', entry.label));
      li.title = '点击显示/隐藏';
      li.addEventListener('click', function () { toggleCategory(entry.cat); });
      list.appendChild(li);
    });
  }

  function select(name, label, options) {
    var s = el('select');
    s.setAttribute('aria-label', label);
    s.appendChild(el('option', '全部' + label)).value = '';
    options.forEach(function (o) { s.appendChild(el('option', o[1])).value = o[0]; });
    s.addEventListener('change', function () { state.filters[name] = s.value; applyFilters(); });
    s.id = 'filter-' + name;
    return s;
  }

  function buildFilters() {
    var box = document.getElementById('filters');
    var F = DATA.filters || {};
    if (F.stage && F.stage.length) box.appendChild(select('stage', '阶段', F.stage));
    if (F.status && F.status.length) box.appendChild(select('status', '评估', F.status));
    if (F.city && F.city.length) box.appendChild(select('city', '地市', F.city));
    (F.flags || []).forEach(function (flag) {
      var label = el('label', null, 'flag');
      var box2 = el('input');
      box2.type = 'checkbox';
      box2.value = flag[0];
      box2.id = 'flag-' + flag[0];
      box2.addEventListener('change', function () {
        var flags = state.filters.flags.filter(function (x) { return x !== flag[0]; });
        if (box2.checked) flags.push(flag[0]);
        state.filters.flags = flags;
        applyFilters();
      });
      label.appendChild(box2);
      label.appendChild(document.createTextNode(flag[1]));
      box.appendChild(label);
    });
  }

  // --- highlight upstream and downstream -------------------------------------------------
  function walk(start, adjacency, seen) {
    var queue = [start];
    while (queue.length) {
      var id = queue.shift();
      (adjacency[id] || []).forEach(function (next) {
        if (!seen[next]) { seen[next] = true; queue.push(next); }
      });
    }
  }

  function highlight(id) {
    var record = ALL[id];
    if (!record) return 0;
    var keep = Object.create(null);
    keep[id] = true;
    var start = record.kind === 'enterprise' && record.anchor ? record.anchor : id;
    keep[start] = true;
    walk(start, OUT, keep);
    walk(start, IN, keep);
    if (record.kind === 'segment') (MEMBERS[id] || []).forEach(function (m) { keep[m] = true; });
    if (record.kind === 'fold') keep[record.anchor] = true;
    var nodeUpdates = [], edgeUpdates = [];
    nodes.forEach(function (n) {
      var base = BASE[n.id] || {};
      if (keep[n.id]) nodeUpdates.push({id: n.id, color: base.color, font: base.font});
      else nodeUpdates.push({id: n.id, color: DIM_NODE, font: {color: '#ced4da'}});
    });
    edges.forEach(function (e) {
      var on = keep[e.from] && keep[e.to];
      edgeUpdates.push({id: e.id, color: on ? (e.baseColor || e.color) : DIM_EDGE, baseColor: e.baseColor || e.color});
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    state.highlighted = id;
    return Object.keys(keep).length;
  }

  function clearHighlight() {
    if (!state.highlighted) return;
    var nodeUpdates = [];
    nodes.forEach(function (n) {
      var base = BASE[n.id] || {};
      nodeUpdates.push({id: n.id, color: base.color, font: base.font});
    });
    nodes.update(nodeUpdates);
    edges.update(edges.get().map(function (e) { return {id: e.id, color: e.baseColor || e.color}; }));
    state.highlighted = null;
  }

  // --- detail panel and tooltip ----------------------------------------------------------
  function facts(title, pairs, panel) {
    if (!pairs || !pairs.length) return;
    panel.appendChild(el('h3', title));
    var dl = el('dl');
    pairs.forEach(function (p) { dl.appendChild(el('dt', p[0])); dl.appendChild(el('dd', p[1])); });
    panel.appendChild(dl);
  }

  function showDetail(id) {
    var record = ALL[id];
    var panel = document.getElementById('detail');
    panel.replaceChildren();
    if (!record || record.kind === 'heading') { panel.hidden = true; return; }
    var close = el('button', '×', 'close');
    close.type = 'button';
    close.title = '关闭';
    close.addEventListener('click', function () { panel.hidden = true; clearHighlight(); network.unselectAll(); });
    panel.appendChild(close);
    panel.appendChild(el('h2', record.name));
    facts('基本信息', pairs(record.facts), panel);
    facts('数据来源', pairs(record.prov), panel);
    if (record.kind === 'fold') {
      var actions = el('div', null, 'actions');
      var b = el('button', '展开这些企业');
      b.type = 'button';
      b.addEventListener('click', function () { expand(id); showDetail(record.anchor); });
      actions.appendChild(b);
      panel.appendChild(actions);
    }
    panel.hidden = false;
  }

  var tooltip = document.getElementById('tooltip');
  function showTooltip(id, pointer) {
    var record = ALL[id];
    if (!record || record.kind === 'heading') return;
    var lines = [record.name];
    pairs(record.facts).slice(1, 4).forEach(function (p) { lines.push(p[0] + '：' + p[1]); });
    tooltip.textContent = lines.join('\n');
    tooltip.style.left = (pointer.x + 14) + 'px';
    tooltip.style.top = (pointer.y + 14) + 'px';
    tooltip.hidden = false;
  }

  network.on('hoverNode', function (p) { showTooltip(p.node, p.pointer.DOM); });
  network.on('blurNode', function () { tooltip.hidden = true; });
  network.on('dragStart', function () { tooltip.hidden = true; });
  network.on('zoom', function () { tooltip.hidden = true; });

  network.on('click', function (p) {
    tooltip.hidden = true;
    if (!p.nodes.length) {
      clearHighlight();
      document.getElementById('detail').hidden = true;
      return;
    }
    var id = p.nodes[0];
    var record = ALL[id];
    if (record && record.kind === 'fold') { expand(id); showDetail(record.anchor); highlight(record.anchor); return; }
    if (record && record.kind === 'heading') return;
    highlight(id);
    showDetail(id);
  });

  // --- search ----------------------------------------------------------------------------
  function search(text) {
    var q = String(text || '').trim().toLowerCase();
    if (!q) return [];
    var hits = [];
    Object.keys(ALL).forEach(function (id) {
      var n = ALL[id];
      if (n.kind === 'heading' || n.kind === 'fold') return;
      var name = String(n.name || '').toLowerCase();
      var code = String(n.uscc || '').toLowerCase();
      if (name.indexOf(q) >= 0 || (code && code.indexOf(q) >= 0)) hits.push(n);
    });
    hits.sort(function (a, b) {
      var ea = (a.name === text || a.uscc === text) ? 0 : 1, eb = (b.name === text || b.uscc === text) ? 0 : 1;
      return ea - eb || String(a.name).localeCompare(String(b.name), 'zh');
    });
    return hits.slice(0, 30).map(function (n) { return n.id; });
  }

  function focusNode(id) {
    var record = ALL[id];
    if (!record) return false;
    if (record.fold && !state.expanded[record.fold]) expand(record.fold);
    if (state.hiddenCats[record.cat]) toggleCategory(record.cat);
    var n = nodes.get(id);
    if (n && n.hidden) { nodes.update({id: id, hidden: false}); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.0), animation: false});
    highlight(id);
    showDetail(id);
    return true;
  }

  function buildSearch() {
    var input = document.getElementById('search');
    var list = document.getElementById('search-results');
    function render() {
      list.replaceChildren();
      var ids = search(input.value);
      if (!input.value.trim()) { list.hidden = true; return; }
      if (!ids.length) { list.appendChild(el('li', '没有找到')); }
      ids.forEach(function (id) {
        var n = ALL[id];
        var li = el('li', n.name);
        if (n.uscc) li.appendChild(el('small', n.uscc));
        else if (n.kind === 'segment') li.appendChild(el('small', '环节'));
        li.addEventListener('mousedown', function (ev) { ev.preventDefault(); focusNode(id); list.hidden = true; });
        list.appendChild(li);
      });
      list.hidden = false;
    }
    input.addEventListener('input', render);
    input.addEventListener('focus', render);
    input.addEventListener('blur', function () { list.hidden = true; });
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter') {
        var ids = search(input.value);
        if (ids.length) { focusNode(ids[0]); list.hidden = true; }
      } else if (ev.key === 'Escape') { list.hidden = true; }
    });
  }

  // --- toolbar -----------------------------------------------------------------------------
  function reset() {
    clearHighlight();
    collapseAll();
    state.hiddenCats = Object.create(null);
    state.filters = {stage: '', status: '', city: '', flags: []};
    document.querySelectorAll('#filters select').forEach(function (s) { s.value = ''; });
    document.querySelectorAll('#filters input[type=checkbox]').forEach(function (c) { c.checked = false; });
    document.querySelectorAll('#legend-items li').forEach(function (li) { li.classList.remove('off'); });
    document.getElementById('detail').hidden = true;
    applyFilters();
    network.unselectAll();
    network.fit({animation: false});
  }

  function pngDataUrl() {
    var source = container.querySelector('canvas');
    var canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height;
    var ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0);
    return canvas.toDataURL('image/png');
  }

  function exportPng() {
    var a = el('a');
    a.download = (META.filename || 'chainkg-map') + '.png';
    a.href = pngDataUrl();
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  document.getElementById('fit').addEventListener('click', function () { network.fit({animation: false}); });
  document.getElementById('reset').addEventListener('click', reset);
  document.getElementById('export').addEventListener('click', exportPng);

  buildLegend();
  buildFilters();
  buildSearch();
})();
