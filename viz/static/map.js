/* chainkg map page. Every string from the data is shown as text: DOM text nodes
   (textContent) or vis-network canvas labels, never parsed as markup. */
// Run by first_frame.js before it draws: the page's data, state and DOM (legend, filters,
// count). It returns the data and takeOver(), which first_frame.js calls once the first
// frame is on screen and vis-network is compiled: vis-network is built then.
var chainkgStartMap = function () {
  'use strict';

  // Start-up marks (performance.mark), read by bench/map_bench.py: start, parsed, network,
  // drawn (vis-network's first frame), interactive (the first task after that frame: a click
  // is handled by vis-network). The canvas first frame before them: chainkg.first-frame:*.
  function mark(name) { if (performance.mark) performance.mark('chainkg:' + name); return performance.now(); }
  var T0 = mark('start');
  var DATA = JSON.parse(document.getElementById('map-data').textContent);
  var META = DATA.meta;
  var SHARED = DATA.shared, STR = [];
  var T_PARSED = mark('parsed');
  var ALL = Object.create(null);       // every node record, drawn or folded, by id
  var BASE = Object.create(null);      // original colour and font of drawn nodes
  var OUT = Object.create(null);       // flow adjacency: id -> [downstream ids]
  var IN = Object.create(null);        // id -> [upstream ids]
  var MEMBERS = Object.create(null);   // segment id -> ids of enterprises hung off it
  var TIES_OUT = Object.create(null);  // firm -> [[customer, product, value]]
  var TIES_IN = Object.create(null);   // firm -> [[supplier, product, value]]
  var FIRMS = [];                      // every enterprise record, drawn or folded
  var DIM_NODE = {background: '#f1f3f5', border: '#dee2e6',
    highlight: {background: '#f1f3f5', border: '#adb5bd'}, hover: {background: '#f1f3f5', border: '#adb5bd'}};
  var DIM_EDGE = {color: '#e9ecef'};
  var TIE_COLOR = '#D55E00';
  var state = {hiddenCats: Object.create(null), expanded: Object.create(null),
    filters: {stage: '', status: '', city: '', flags: []}, highlighted: null, page: META.page || '',
    hops: 1, tieEdges: [], table: {sort: 'rev', desc: true, segment: ''}};

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

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
  function remember(record) {
    ALL[record.id] = record;
    if (record.kind === 'enterprise') {
      FIRMS.push(record);
      if (record.anchor) (MEMBERS[record.anchor] = MEMBERS[record.anchor] || []).push(record.id);
    }
  }
  function link(edge) {
    if (!edge.flow) return;
    (OUT[edge.from] = OUT[edge.from] || []).push(edge.to);
    (IN[edge.to] = IN[edge.to] || []).push(edge.from);
  }
  DATA.nodes.forEach(function (n) { remember(unpack(n)); });
  DATA.edges.forEach(link);
  DATA.folds = {};

  // What the first frame does not need (folded firms, the facts' strings, supply ties) sits
  // in a second block, gzipped JSON in base64: inflated after the first frame, so the map
  // draws without waiting for it (see docs/maps.md, "Start-up"). Handlers that need it
  // run through whenComplete().
  var complete = false, loading = null, waiting = [];
  function inflate() {
    if (loading) return loading;
    var bin = atob(document.getElementById('map-more').textContent.trim());
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    loading = new Response(stream).text().then(function (text) {
      index(JSON.parse(text));
      complete = api.complete = true;
      waiting.splice(0).forEach(function (fn) { whenNetwork(fn); });
      return true;
    });
    return loading;
  }
  function whenComplete(fn) {  // the deferred data unpacked, and vis-network built
    if (complete) return whenNetwork(fn);
    waiting.push(fn);
    inflate();
  }
  function index(M) {
    STR = M.strings;
    DATA.folds = M.folds;
    Object.keys(DATA.folds).forEach(function (fid) {
      DATA.folds[fid].nodes.forEach(function (n) { remember(unpack(n)); });
      DATA.folds[fid].edges.forEach(link);
    });
    (M.ties || []).forEach(function (t) {
      (TIES_OUT[t[0]] = TIES_OUT[t[0]] || []).push([t[1], t[2], t[3]]);
      (TIES_IN[t[1]] = TIES_IN[t[1]] || []).push([t[0], t[2], t[3]]);
    });
    mark('complete');
  }
  // The roster shows one page (cluster) at a time: nodes not on it start hidden.
  if (state.page) {
    DATA.nodes.forEach(function (n) { if (n.pos && !n.pos[state.page]) n.hidden = true; });
  }

  // The legend, the filters and the count before the first frame: they set the map's size.
  buildLegend();
  buildFilters();
  showCount();

  // vis-network, built by takeOver(); what needs it before then waits (whenNetwork).
  var nodes = null, edges = null, network = null, T_NETWORK = null;
  var container = document.getElementById('map');
  var onNetwork = [];  // (re)start-up hooks run by takeOver, in order
  var pendingNetwork = [];
  function whenNetwork(fn) {
    if (network) return fn();
    pendingNetwork.push(fn);
  }
  function takeOver() {
    nodes = api.nodes = new vis.DataSet(DATA.nodes);
    edges = api.edges = new vis.DataSet(DATA.edges);
    network = api.network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
    // The first frame's view (the whole map, labels included): no jump when vis-network
    // takes over (its own first fit leaves the labels out).
    var fit = chainkgFirstFrame.fit;
    network.moveTo({position: fit.position, scale: fit.scale, animation: false});
    T_NETWORK = mark('network');
    onNetwork.forEach(function (hook) { hook(); });
    pendingNetwork.splice(0).forEach(function (fn) { fn(); });
  }

  var api = {
    ready: false, complete: false, readyAt: null, drawnAt: null, kind: META.kind,
    loaded: function () { return inflate(); }, network: null, nodes: null, edges: null,
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
    applyFilters: applyFilters, toggleCategory: toggleCategory, exportPng: exportImage,
    setPage: setPage, setHops: function (h) { state.hops = h; document.getElementById('hops').value = String(h); },
    openTable: openTable, tableRows: tableRows, unfoldInView: unfoldInView, tableExport: tableExport, sortTable: sortTable,
    labelSizes: labelSizes, firmCounts: firmCounts,
    detailText: function () { return document.getElementById('detail').textContent; }
  };
  window.chainkgMap = api;

  function rememberBase(list) {
    list.forEach(function (n) { BASE[n.id] = {color: n.color, font: n.font}; });
  }
  rememberBase(DATA.nodes);

  // Interactive: the first frame is drawn and the start-up work is over, so a click is
  // handled at once. A task posted from the first frame runs when both are true.
  // On a phone the whole map at "fit" has no legible label: start zoomed in (at the middle)
  // so that the main labels (segments, chains, clusters, the focus) are 13 px; 适应窗口
  // shows the whole.
  function phoneStart() {
    if (container.clientWidth > 700) return;
    var big = 0;
    nodes.forEach(function (n) {
      if (!n.hidden && n.kind !== 'heading' && n.font && n.font.size > big) big = n.font.size;
    });
    var scale = big ? 13 / big : 0;
    if (scale > network.getScale()) network.moveTo({scale: Math.min(scale, 2), animation: false});
  }

  onNetwork.push(function () { network.once('afterDrawing', function () {
    api.drawnAt = mark('drawn');
    state.fitScale = network.getScale();
    setTimeout(phoneStart, 0);
    var loading = document.getElementById('loading');
    if (loading) loading.remove();
    // The first frame's canvas goes; a click on it is replayed here.
    chainkgFirstFrame.handOver(network, function (p) { whenComplete(function () { onClick(p); }); });
    var channel = new MessageChannel();
    channel.port1.onmessage = function () {
      api.readyAt = mark('interactive');
      api.timings = {scriptStart: T0, parsed: T_PARSED, network: T_NETWORK, drawn: api.drawnAt,
        interactive: api.readyAt};
      api.ready = true;
      // The rest of the data now (or at once when a click, a search or the table needs it).
      setTimeout(inflate, 0);
    };
    channel.port2.postMessage(0);
  }); });

  // Stage bands (上游/中游/下游, or the supplier/customer columns) behind the map.
  onNetwork.push(function () { network.on('beforeDrawing', function (ctx) {
    (META.bands || []).forEach(function (b) {
      if (b.page && b.page !== state.page) return;  // the roster's cluster cards: 全部集群 only
      ctx.fillStyle = b.color;
      ctx.fillRect(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    });
  }); });

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
    showCount();
    return add.length;
  }

  // Zoomed in far enough to read firm names: the folds in view unfold by themselves.
  var unfoldTimer = null;
  function unfoldInView() {
    // firm names legible, and well past "fit" (a small map fits at a legible zoom already)
    var threshold = Math.max(META.unfold_scale || 0, 1.5 * (state.fitScale || 0));
    if (!META.unfold_scale || network.getScale() < threshold) return 0;
    var a = network.DOMtoCanvas({x: 0, y: 0});
    var b = network.DOMtoCanvas({x: container.clientWidth, y: container.clientHeight});
    var opened = 0;
    nodes.forEach(function (n) {
      if (n.kind !== 'fold' || n.hidden || state.expanded[n.id]) return;
      var pos = network.getPosition(n.id);
      if (pos.x >= a.x && pos.x <= b.x && pos.y >= a.y && pos.y <= b.y) opened += expand(n.id);
    });
    return opened;
  }
  function scheduleUnfold() {
    if (!META.unfold_scale) return;
    clearTimeout(unfoldTimer);
    unfoldTimer = setTimeout(function () { whenComplete(unfoldInView); }, 120);
  }
  onNetwork.push(function () {
    network.on('zoom', scheduleUnfold);
    network.on('dragEnd', scheduleUnfold);
  });

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

  // --- filters, legend, pages --------------------------------------------------------------
  function visible(n) {
    if (state.hiddenCats[n.cat]) return false;
    if (state.page && n.pos && !n.pos[state.page]) return false;
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
    if (!network) { whenNetwork(applyFilters); return 0; }  // on the first frame: once it is up
    var updates = [];
    nodes.forEach(function (n) {
      var hide = !visible(n);
      if (!!n.hidden !== hide) updates.push({id: n.id, hidden: hide});
    });
    if (updates.length) nodes.update(updates);
    showCount();
    return api.counts().visible;
  }

  function firmCounts() {
    var shown = 0;  // before vis-network is built (the first frame), from the page data
    (nodes || DATA.nodes).forEach(function (n) { if (n.kind === 'enterprise' && !n.hidden) shown += 1; });
    return {shown: shown, total: META.firms || 0};
  }

  // 12,345: the first toLocaleString('zh-CN') loads the locale's data (tens of ms), too
  // slow for the first frame.
  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }

  function showCount() {
    var box = document.getElementById('shown-count');
    if (!META.firms) { box.textContent = ''; return; }
    var c = firmCounts();
    box.textContent = '显示 ' + thousands(c.shown) + ' / 共 ' + thousands(c.total) + ' 家企业';
  }

  function visibleIds() {
    var ids = [];
    nodes.forEach(function (n) { if (!n.hidden) ids.push(n.id); });
    return ids;
  }

  function fit() {
    network.fit({nodes: visibleIds(), animation: false});
    state.fitScale = network.getScale();
  }

  function setPage(page) {
    if (!META.pages) return 0;
    if (!network) { whenNetwork(function () { setPage(page); }); return 0; }
    state.page = page;
    var updates = [];
    nodes.forEach(function (n) {
      if (!n.pos) return;
      var p = n.pos[page];
      var u = {id: n.id, hidden: !visible(n)};
      if (p) { u.x = p[0]; u.y = p[1]; }
      updates.push(u);
    });
    nodes.update(updates);
    clearHighlight();
    fit();
    phoneStart();
    var select = document.getElementById('filter-page');
    if (select) select.value = page;
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
      li.appendChild(sw);
      li.appendChild(el('span', entry.label));
      li.title = '点击显示/隐藏';
      li.addEventListener('click', function () { toggleCategory(entry.cat); });
      list.appendChild(li);
    });
  }

  function select(name, label, options, onChange) {
    var s = el('select');
    s.setAttribute('aria-label', label);
    if (!onChange) s.appendChild(el('option', '全部' + label)).value = '';
    options.forEach(function (o) { s.appendChild(el('option', o[1])).value = o[0]; });
    s.addEventListener('change', onChange ? function () { onChange(s.value); } : function () {
      state.filters[name] = s.value; applyFilters();
    });
    s.id = 'filter-' + name;
    return s;
  }

  function buildFilters() {
    var box = document.getElementById('filters');
    var F = DATA.filters || {};
    if (META.pages) {
      var pageSelect = select('page', '集群', META.pages, setPage);
      pageSelect.value = state.page;
      box.appendChild(pageSelect);
    }
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
    if (!META.firms) document.querySelector('.hops').hidden = true;
    document.getElementById('table-open').hidden = !META.firms;
  }

  // --- highlight -------------------------------------------------------------------------
  function walk(start, adjacency, seen) {
    var queue = [start];
    while (queue.length) {
      var id = queue.shift();
      (adjacency[id] || []).forEach(function (next) {
        if (!seen[next]) { seen[next] = true; queue.push(next); }
      });
    }
  }

  // A firm's own suppliers (up) and customers (down), up to `hops` steps of SUPPLIES.
  function firmNeighbours(id, hops) {
    var result = {up: [], down: []};
    [['up', TIES_IN], ['down', TIES_OUT]].forEach(function (side) {
      var seen = Object.create(null);
      seen[id] = true;
      var frontier = [id];
      for (var level = 1; level <= hops && frontier.length; level++) {
        var next = [];
        frontier.forEach(function (from) {
          (side[1][from] || []).forEach(function (t) {
            result[side[0]].push({id: t[0], via: from, level: level, product: t[1], value: t[2]});
            if (!seen[t[0]]) { seen[t[0]] = true; next.push(t[0]); }
          });
        });
        frontier = next;
      }
    });
    return result;
  }

  function dropTieEdges() {
    if (state.tieEdges.length) edges.remove(state.tieEdges);
    state.tieEdges = [];
  }

  function tieLabel(t) {
    var parts = [];
    if (t.product) parts.push(t.product.length > 8 ? t.product.slice(0, 7) + '…' : t.product);
    if (t.value !== null && t.value !== undefined) parts.push(Number(t.value).toLocaleString('zh-CN') + '万元');
    return parts.join(' ');
  }

  function highlight(id) {
    var record = ALL[id];
    if (!record) return 0;
    dropTieEdges();
    var keep = Object.create(null);
    keep[id] = true;
    var ties = null;
    if (record.kind === 'enterprise') {
      ties = firmNeighbours(id, state.hops);
      var add = [];
      ties.up.concat(ties.down).forEach(function (t) {
        keep[t.id] = true;
        var other = ALL[t.id];
        if (other && other.fold && !state.expanded[other.fold]) expand(other.fold);
      });
      if (!DATA.edges.length || META.kind !== 'enterprise') {
        ties.up.forEach(function (t, i) { add.push({id: 'tie:u' + i, from: t.id, to: t.via, label: tieLabel(t)}); });
        ties.down.forEach(function (t, i) { add.push({id: 'tie:d' + i, from: t.via, to: t.id, label: tieLabel(t)}); });
        add.forEach(function (e) {
          Object.assign(e, {arrows: 'to', width: 2.5, color: {color: TIE_COLOR}, smooth: {enabled: true, type: 'curvedCW', roundness: 0.2},
            font: {size: 13, color: '#000000', strokeWidth: 4, strokeColor: '#ffffff'}, baseColor: {color: TIE_COLOR}});
        });
        edges.add(add);
        state.tieEdges = add.map(function (e) { return e.id; });
      }
      if (record.anchor) keep[record.anchor] = true;
    } else {
      var start = record.kind === 'fold' ? record.anchor : id;
      keep[start] = true;
      walk(start, OUT, keep);
      walk(start, IN, keep);
      if (record.kind === 'segment') (MEMBERS[id] || []).forEach(function (m) { keep[m] = true; });
    }
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
    state.ties = ties;
    return Object.keys(keep).length;
  }

  function clearHighlight() {
    dropTieEdges();
    if (!state.highlighted) return;
    var nodeUpdates = [];
    nodes.forEach(function (n) {
      var base = BASE[n.id] || {};
      nodeUpdates.push({id: n.id, color: base.color, font: base.font});
    });
    nodes.update(nodeUpdates);
    edges.update(edges.get().map(function (e) { return {id: e.id, color: e.baseColor || e.color}; }));
    state.highlighted = null;
    state.ties = null;
  }

  // --- detail panel and tooltip ----------------------------------------------------------
  var STATUS_NAMES = {missing: '缺链', dependent: '断链', weak: '弱链', unverified: '待核实',
    insufficient_data: '数据不足', ok: '基本完整', unknown: '未评估'};
  var METRIC_NAMES = {enterprises: '省内企业数', leaders: '龙头企业数', revenue_known: '营收已知企业数',
    revenue_unknown: '营收未知企业数', revenue_total: '营业收入合计（万元）', hhi: '营收集中度 HHI',
    outside_enterprises: '省外企业数', supply_edges: '本地需求供货关系数', local_supply_edges: '其中省内供货',
    valued_supply_edges: '有供货额的关系数', supply_value: '供货额（万元）', local_supply_value: '省内供货额（万元）',
    local_supply_ratio: '本地配套率', ratio_basis: '配套率口径', suppliers: '供应商数', local_suppliers: '省内供应商数',
    foreign_supply_ratio: '境外供应占比', choke_technologies: '未突破卡脖子技术数',
    capacity_demand_ratio: '产能/本地需求', supply_edges_per_firm: '每家企业供货关系数',
    inferred_enterprises: '推断归入企业数', untagged_supply_edges: '未标环节的供货关系数',
    betweenness: '介数中心性', articulation: '关键节点（割点）', severity: '严重程度', score: '分值', level: '等级'};
  var REASON_KEYS = {code: 1, status: 1, text: 1, metric: 1, value: 1, threshold: 1, comparison: 1};

  function plain(value) {
    if (value === null || value === undefined) return '—';
    if (typeof value === 'boolean') return value ? '是' : '否';
    if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('zh-CN') : String(Math.round(value * 10000) / 10000);
    if (Array.isArray(value)) return value.map(plain).join('、');
    if (typeof value === 'object') return Object.keys(value).map(function (k) { return (METRIC_NAMES[k] || k) + ' ' + plain(value[k]); }).join('；');
    return String(value);
  }

  function facts(title, list, panel) {
    if (!list || !list.length) return;
    panel.appendChild(el('h3', title));
    var dl = el('dl');
    list.forEach(function (p) { dl.appendChild(el('dt', p[0])); dl.appendChild(el('dd', p[1])); });
    panel.appendChild(dl);
  }

  function findingSection(record, panel) {
    var f = record.finding;
    if (!f) return;
    var box = el('section', null, 'finding status-' + f.status);
    box.id = 'finding';
    box.appendChild(el('h3', '评估：' + (STATUS_NAMES[f.status] || f.status)));
    var extra = [];
    Object.keys(f).forEach(function (k) {  // severity and whatever else the report adds
      if (['status', 'reasons', 'metrics', 'recommendation', 'label'].indexOf(k) < 0) extra.push([METRIC_NAMES[k] || k, plain(f[k])]);
    });
    if (extra.length) {
      var dl0 = el('dl', null, 'finding-extra');
      extra.forEach(function (p) { dl0.appendChild(el('dt', p[0])); dl0.appendChild(el('dd', p[1])); });
      box.appendChild(dl0);
    }
    var reasons = f.reasons || [];
    if (reasons.length) {
      var ol = el('ol', null, 'reasons');
      reasons.forEach(function (r) {
        var li = el('li');
        li.appendChild(el('span', r.text || r.code, 'reason-text'));
        var nums = [];
        if (r.metric !== undefined) nums.push((METRIC_NAMES[r.metric] || r.metric) + ' ' + plain(r.value) + ' ' + (r.comparison || '') + ' ' + plain(r.threshold));
        Object.keys(r).forEach(function (k) { if (!REASON_KEYS[k]) nums.push((METRIC_NAMES[k] || k) + ' ' + plain(r[k])); });
        if (r.status) nums.push('判定 ' + (STATUS_NAMES[r.status] || r.status));
        li.appendChild(el('small', nums.join('；')));
        ol.appendChild(li);
      });
      box.appendChild(ol);
    } else if (f.status === 'ok') {
      box.appendChild(el('p', '未发现短板', 'muted'));
    }
    if (f.metrics) {
      var dl = el('dl', null, 'metrics');
      Object.keys(f.metrics).forEach(function (k) {
        if (f.metrics[k] === null || f.metrics[k] === undefined) return;
        dl.appendChild(el('dt', METRIC_NAMES[k] || k));
        dl.appendChild(el('dd', k === 'local_supply_ratio' ? Math.round(f.metrics[k] * 1000) / 10 + '%' : plain(f.metrics[k])));
      });
      box.appendChild(dl);
    }
    var rec = f.recommendation;
    if (rec) {
      box.appendChild(el('h3', '补链建议：' + (rec.action || '')));
      var cands = rec.candidates || [];
      if (cands.length) {
        var ol2 = el('ol', null, 'candidates');
        cands.forEach(function (c) {
          var li = el('li');
          li.appendChild(el('span', c.name || c.id, 'candidate-name'));
          var more = [c.city, c.reason].filter(function (x) { return x; }).join(' · ');
          if (more) li.appendChild(el('small', more));
          ol2.appendChild(li);
        });
        box.appendChild(ol2);
        if (rec.candidates_total > cands.length) box.appendChild(el('p', '共 ' + rec.candidates_total + ' 家候选，显示前 ' + cands.length + ' 家', 'muted'));
      } else if (rec.note) {
        box.appendChild(el('p', rec.note, 'muted'));
      }
    }
    panel.appendChild(box);
  }

  function listsSection(record, panel) {
    var lists = record.lists;
    if (!lists) return;
    var box = el('section', null, 'lists');
    box.id = 'lists';
    box.appendChild(el('h3', '清单（' + lists.length + '）'));
    if (!lists.length) { box.appendChild(el('p', '暂无项目、平台、技术或招商清单条目', 'muted')); panel.appendChild(box); return; }
    var ul = el('ul');
    lists.forEach(function (item) {
      var li = el('li');
      li.appendChild(el('span', item.kind, 'tag'));
      if (item.choke) li.appendChild(el('span', '卡脖子', 'tag choke'));
      li.appendChild(el('span', item.name));
      if (item.info) li.appendChild(el('small', item.info));
      if (item.synthetic) li.appendChild(el('span', '示例', 'tag synthetic'));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    panel.appendChild(box);
  }

  function problemsSection(record, panel) {
    var p = record.problems;
    if (!p) return;
    var box = el('section', null, 'problems');
    box.id = 'problems';
    box.appendChild(el('h3', '问题台账'));
    box.appendChild(el('p', p.total ? '共 ' + p.total + ' 个问题，未办结 ' + p.open + ' 个，逾期 ' + p.overdue + ' 个' : '暂无登记的问题',
      p.overdue ? 'overdue' : 'muted'));
    panel.appendChild(box);
  }

  function tiesSection(panel) {
    var ties = state.ties;
    if (!ties) return;
    [['供应商', ties.up], ['客户', ties.down]].forEach(function (side) {
      var box = el('section', null, 'ties');
      box.appendChild(el('h3', side[0] + '（' + state.hops + ' 级内，' + side[1].length + ' 条）'));
      if (!side[1].length) box.appendChild(el('p', '图中没有', 'muted'));
      var ul = el('ul');
      side[1].forEach(function (t) {
        var other = ALL[t.id];
        var li = el('li');
        li.appendChild(el('span', t.level + ' 级', 'tag'));
        var name = el('a', other ? other.name : t.id, 'jump');
        name.href = '#';
        name.addEventListener('click', function (ev) { ev.preventDefault(); focusNode(t.id); });
        li.appendChild(name);
        li.appendChild(el('small', tieLabel(t) || '供货'));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      panel.appendChild(box);
    });
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
    if (record.href) {
      var a = el('a', record.kind === 'enterprise' ? '打开该企业的上下游图谱 ›' : '打开“' + record.name + '”图谱 ›', 'drill');
      a.href = record.href;
      panel.appendChild(a);
    }
    findingSection(record, panel);
    if (record.kind === 'segment' && MEMBERS[id]) {
      var actions = el('div', null, 'actions');
      var t = el('button', '查看本环节 ' + MEMBERS[id].length + ' 家企业');
      t.type = 'button';
      t.id = 'segment-table';
      t.addEventListener('click', function () { openTable(id); });
      actions.appendChild(t);
      panel.appendChild(actions);
    }
    problemsSection(record, panel);
    listsSection(record, panel);
    tiesSection(panel);
    facts('基本信息', pairs(record.facts), panel);
    facts('数据来源', pairs(record.prov), panel);
    if (record.kind === 'fold') {
      var actions2 = el('div', null, 'actions');
      var b = el('button', '展开这些企业');
      b.type = 'button';
      b.addEventListener('click', function () { expand(id); showDetail(record.anchor); });
      actions2.appendChild(b);
      panel.appendChild(actions2);
    }
    panel.hidden = false;
  }

  var tooltip = document.getElementById('tooltip');
  function clip(text, n) { text = String(text); return text.length > n ? text.slice(0, n - 1) + '…' : text; }
  function showTooltip(id, pointer) {
    var record = ALL[id];
    if (!record || record.kind === 'heading') return;
    var lines = [clip(record.name, 60)];
    pairs(record.facts).slice(1, 4).forEach(function (p) { lines.push(p[0] + '：' + clip(p[1], 60)); });
    tooltip.textContent = lines.join('\n');
    tooltip.style.left = (pointer.x + 14) + 'px';
    tooltip.style.top = (pointer.y + 14) + 'px';
    tooltip.hidden = false;
  }

  onNetwork.push(function () {
    network.on('hoverNode', function (p) { if (complete) showTooltip(p.node, p.pointer.DOM); });
    network.on('blurNode', function () { tooltip.hidden = true; });
    network.on('dragStart', function () { tooltip.hidden = true; });
    network.on('zoom', function () { tooltip.hidden = true; });

    network.on('click', function (p) { whenComplete(function () { onClick(p); }); });
  });
  function onClick(p) {
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
  }

  // --- search ----------------------------------------------------------------------------
  function search(text) {
    var raw = String(text || '').trim();
    var q = raw.toLowerCase();
    if (!q) return [];
    var compact = q.replace(/\s+/g, '');          // a credit code typed with spaces
    var letters = /^[a-z0-9]+$/.test(compact);    // pinyin initials, e.g. ytkc
    var hits = [];
    Object.keys(ALL).forEach(function (id) {
      var n = ALL[id];
      if (n.kind === 'heading' || n.kind === 'fold') return;
      var name = String(n.name || '').toLowerCase();
      var code = String(n.uscc || '').toLowerCase();
      if (name.indexOf(q) >= 0 || (code && code.indexOf(compact) >= 0) ||
          (letters && n.py && n.py.indexOf(compact) >= 0)) hits.push(n);
    });
    hits.sort(function (a, b) {
      var ea = (a.name === raw || a.uscc === compact.toUpperCase()) ? 0 : 1, eb = (b.name === raw || b.uscc === compact.toUpperCase()) ? 0 : 1;
      return ea - eb || String(a.name).localeCompare(String(b.name), 'zh');
    });
    return hits.slice(0, 30).map(function (n) { return n.id; });
  }

  function focusNode(id) {
    var record = ALL[id];
    if (!record) return false;
    if (record.fold && !state.expanded[record.fold]) expand(record.fold);
    if (state.hiddenCats[record.cat]) toggleCategory(record.cat);
    if (state.page && record.pos && !record.pos[state.page]) setPage(Object.keys(record.pos)[0]);
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
    input.addEventListener('input', function () { whenComplete(render); });
    input.addEventListener('focus', function () { whenComplete(render); });
    input.addEventListener('blur', function () { list.hidden = true; });
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter') {
        whenComplete(function () {
          var ids = search(input.value);
          if (ids.length) { focusNode(ids[0]); list.hidden = true; }
        });
      } else if (ev.key === 'Escape') { list.hidden = true; }
    });
  }

  // --- enterprise table ----------------------------------------------------------------------
  var COLUMNS = [
    {key: 'name', label: '企业名称'},
    {key: 'uscc', label: '统一社会信用代码'},
    {key: 'where', label: META.kind === 'enterprise' ? '与核心企业关系' : '所属环节'},
    {key: 'city', label: '地市'},
    {key: 'rev', label: '营业收入（万元）', number: true},
    {key: 'flags', label: '标记'},
    {key: 'place', label: '省内/省外'},
    {key: 'inferred', label: '归入方式'}
  ];
  var FLAG_NAMES = {leader: '龙头', specialized: '专精特新', listed: '上市', outside: '省外'};
  var TABLE_LIMIT = 300;  // rows drawn; exports take every row

  function cell(r, key) {
    if (key === 'where') return META.kind === 'enterprise' ? (r.rel || '') : (r.seg || '');
    if (key === 'flags') return (r.flags || []).filter(function (f) { return f !== 'outside'; }).map(function (f) { return FLAG_NAMES[f]; }).join('、');
    if (key === 'place') return r.local === 1 ? '省内' : (r.local === 0 ? '省外' : '未知');
    if (key === 'inferred') return r.inf ? '按行业代码推断' : '名录列明';
    if (key === 'rev') return (r.rev === null || r.rev === undefined) ? null : r.rev;
    return r[key] === undefined || r[key] === null ? '' : r[key];
  }

  function tableRows() {
    var t = state.table;
    var q = document.getElementById('table-filter').value.trim().toLowerCase();
    var compact = q.replace(/\s+/g, '');
    var place = document.getElementById('table-place').value;
    var flag = document.getElementById('table-flag').value;
    var rows = FIRMS.filter(function (r) {
      if (t.segment && r.anchor !== t.segment && (r.segs || []).indexOf(t.segment) < 0) return false;
      if (place !== '' && String(r.local) !== place) return false;
      if (flag && (r.flags || []).indexOf(flag) < 0) return false;
      if (q && String(r.name).toLowerCase().indexOf(q) < 0 && String(r.city || '').toLowerCase().indexOf(q) < 0 &&
          String(r.uscc || '').toLowerCase().indexOf(compact) < 0 && String(r.py || '').indexOf(compact) < 0) return false;
      return true;
    });
    var key = t.sort, dir = t.desc ? -1 : 1;
    rows.sort(function (a, b) {
      var x = cell(a, key), y = cell(b, key);
      if (x === null || x === '') return (y === null || y === '') ? 0 : 1;   // empty last
      if (y === null || y === '') return -1;
      var c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), 'zh');
      return c * dir || String(a.name).localeCompare(String(b.name), 'zh');
    });
    return rows;
  }

  function tableMatrix() {
    return [COLUMNS.map(function (c) { return c.label; })].concat(tableRows().map(function (r) {
      return COLUMNS.map(function (c) { return cell(r, c.key); });
    }));
  }

  function renderTable() {
    var rows = tableRows();
    var head = document.getElementById('table-head');
    head.replaceChildren();
    COLUMNS.forEach(function (c) {
      var th = el('th', c.label + (state.table.sort === c.key ? (state.table.desc ? ' ▼' : ' ▲') : ''));
      th.dataset.key = c.key;
      th.addEventListener('click', function () { sortTable(c.key); });
      head.appendChild(th);
    });
    var body = document.getElementById('table-body');
    body.replaceChildren();
    rows.slice(0, TABLE_LIMIT).forEach(function (r) {
      var tr = el('tr');
      COLUMNS.forEach(function (c) {
        var v = cell(r, c.key);
        var td = el('td', c.number ? (v === null ? '' : Number(v).toLocaleString('zh-CN')) : v, c.number ? 'num' : '');
        if (c.key === 'name') td.title = String(v);
        tr.appendChild(td);
      });
      tr.addEventListener('click', function () { focusNode(r.id); });
      body.appendChild(tr);
    });
    document.getElementById('table-count').textContent = '共 ' + rows.length + ' 家' +
      (rows.length > TABLE_LIMIT ? '（表中显示前 ' + TABLE_LIMIT + ' 家，导出包含全部）' : '');
    return rows.length;
  }

  function sortTable(key) {
    if (state.table.sort === key) state.table.desc = !state.table.desc;
    else { state.table.sort = key; state.table.desc = key === 'rev'; }
    return renderTable();
  }

  function openTable(segment) {
    var panel = document.getElementById('table-panel');
    state.table.segment = segment || '';
    var s = document.getElementById('table-segment');
    s.value = state.table.segment;
    var seg = segment && ALL[segment];
    document.getElementById('table-title').textContent = seg ? seg.name + ' · 企业表' : '企业表';
    panel.hidden = false;
    return renderTable();
  }

  function buildTable() {
    var s = document.getElementById('table-segment');
    s.appendChild(el('option', '全部环节')).value = '';
    var segs = [];
    Object.keys(ALL).forEach(function (id) { if (ALL[id].kind === 'segment') segs.push(ALL[id]); });
    segs.forEach(function (seg) { s.appendChild(el('option', seg.name)).value = seg.id; });
    if (!segs.length) s.hidden = true;
    s.addEventListener('change', function () { openTable(s.value); });
    ['table-filter', 'table-place', 'table-flag'].forEach(function (id) {
      document.getElementById(id).addEventListener('input', renderTable);
      document.getElementById(id).addEventListener('change', renderTable);
    });
    document.getElementById('table-open').addEventListener('click', function () {
      var panel = document.getElementById('table-panel');
      if (panel.hidden) whenComplete(function () { openTable(state.table.segment); }); else panel.hidden = true;
    });
    document.getElementById('table-close').addEventListener('click', function () { document.getElementById('table-panel').hidden = true; });
    document.getElementById('table-csv').addEventListener('click', function () { download(tableExport('csv'), 'csv'); });
    document.getElementById('table-xlsx').addEventListener('click', function () { download(tableExport('xlsx'), 'xlsx'); });
  }

  function tableName() {
    var seg = state.table.segment && ALL[state.table.segment];
    return (META.filename || 'chainkg') + (seg ? '-' + seg.name : '') + '-企业表';
  }

  // The table as a file: 'csv' gives text, 'xlsx' a Uint8Array (base64 with asBase64, for tests).
  function tableExport(format, asBase64) {
    var matrix = tableMatrix();
    if (format === 'csv') return window.chainkgXlsx.csv(matrix);
    var bytes = window.chainkgXlsx.workbook('企业表', matrix);
    if (!asBase64) return bytes;
    var bin = '';
    for (var i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  }

  function download(content, ext) {
    var type = ext === 'csv' ? 'text/csv;charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    var url = URL.createObjectURL(new Blob([content], {type: type}));
    var a = el('a');
    a.download = tableName() + '.' + ext;
    a.href = url;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // --- fonts at fit (for the readability check) ------------------------------------------------
  function labelSizes() {
    var scale = network.getScale(), out = [];
    nodes.forEach(function (n) {
      if (n.hidden) return;
      var body = network.body.nodes[n.id];
      if (!body || !body.options.label) return;
      var px = body.labelModule.fontOptions.size * scale;
      out.push({id: n.id, kind: n.kind, px: Math.round(px * 10) / 10, drawn: px >= (META.min_px || 12)});
    });
    return {scale: scale, labels: out};
  }

  // --- export image ------------------------------------------------------------------------
  // A high-resolution PNG: the whole map drawn at twice the window's size, with the title,
  // the data date, the 示例数据 mark and the legend drawn beside it.
  function exportImage(width) {
    width = width || 2800;
    var rect = container.getBoundingClientRect();
    var mapW = width - 420, mapH = Math.round(mapW * Math.max(rect.height, 300) / Math.max(rect.width, 300));
    var ratio = window.devicePixelRatio || 1;
    container.style.width = mapW / ratio + 'px';
    container.style.height = mapH / ratio + 'px';
    container.style.right = 'auto';
    container.style.bottom = 'auto';
    network.setSize(mapW / ratio + 'px', mapH / ratio + 'px');
    network.redraw();
    fit();
    network.redraw();
    var source = container.querySelector('canvas');
    var headH = 150, texts = [];
    var canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = Math.max(mapH, 80 + 44 * DATA.legend.length) + headH;
    var ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    var face = getComputedStyle(document.body).fontFamily;
    function text(t, x, y, size, color, bold) {
      ctx.font = (bold ? 'bold ' : '') + size + 'px ' + face;
      ctx.fillStyle = color;
      ctx.fillText(t, x, y);
      texts.push(t);
      return ctx.measureText(t).width;
    }
    var title = clip(META.title || '', 50);
    var w = text(title, 40, 70, 52, '#212529', true);
    var x = 40 + w + 30;
    if (META.subtitle) x += text(META.subtitle, x, 70, 32, '#495057') + 30;
    if (document.getElementById('synthetic-mark')) {
      ctx.fillStyle = '#fff3bf';
      ctx.fillRect(x - 10, 30, 170, 56);
      ctx.strokeStyle = '#e67700';
      ctx.lineWidth = 3;
      ctx.strokeRect(x - 10, 30, 170, 56);
      text('示例数据', x + 8, 70, 36, '#b35c00', true);
    }
    var foot = [];
    if (META.data_date) foot.push('数据日期 ' + META.data_date);
    var c = firmCounts();
    if (c.total) foot.push('显示 ' + c.shown + ' / 共 ' + c.total + ' 家企业');
    foot.push('导出于 ' + new Date().toISOString().slice(0, 10));
    text(foot.join('　'), 40, 125, 28, '#495057');
    ctx.drawImage(source, 0, headH, mapW, mapH);
    var lx = mapW + 30, ly = headH + 20;
    text('图例', lx, ly + 30, 34, '#212529', true);
    DATA.legend.forEach(function (entry, i) {
      var y = ly + 70 + i * 44;
      ctx.fillStyle = entry.color;
      ctx.strokeStyle = entry.border || entry.color;
      ctx.lineWidth = 4;
      ctx.fillRect(lx, y - 24, 30, 30);
      ctx.strokeRect(lx, y - 24, 30, 30);
      text(entry.label, lx + 44, y, 26, '#212529');
    });
    container.style.width = container.style.height = container.style.right = container.style.bottom = '';
    network.setSize('100%', '100%');
    network.redraw();
    fit();
    var url = canvas.toDataURL('image/png');
    api.lastExport = {width: canvas.width, height: canvas.height, texts: texts};
    return url;
  }

  function savePng() {
    var a = el('a');
    a.download = (META.filename || 'chainkg-map') + '.png';
    a.href = exportImage();
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // --- toolbar -----------------------------------------------------------------------------
  function reset() {
    clearHighlight();
    collapseAll();
    state.hiddenCats = Object.create(null);
    state.filters = {stage: '', status: '', city: '', flags: []};
    document.querySelectorAll('#filters select').forEach(function (s) { if (s.id !== 'filter-page') s.value = ''; });
    document.querySelectorAll('#filters input[type=checkbox]').forEach(function (c) { c.checked = false; });
    document.querySelectorAll('#legend-items li').forEach(function (li) { li.classList.remove('off'); });
    document.getElementById('detail').hidden = true;
    var input = document.getElementById('search');
    input.value = '';
    document.getElementById('search-results').hidden = true;
    applyFilters();
    network.unselectAll();
    fit();
  }

  function toggler(buttonId, target, openClass) {
    var button = document.getElementById(buttonId);
    button.addEventListener('click', function () {
      var open = !target.classList.contains(openClass);
      target.classList.toggle(openClass, open);
      button.setAttribute('aria-expanded', String(open));
      if (network) network.redraw();
    });
  }

  // On the first frame these wait for vis-network (whenNetwork).
  document.getElementById('fit').addEventListener('click', function () { whenNetwork(fit); });
  document.getElementById('reset').addEventListener('click', function () { whenNetwork(reset); });
  document.getElementById('export').addEventListener('click', function () { whenNetwork(savePng); });
  document.getElementById('print').addEventListener('click', function () { window.print(); });
  document.getElementById('hops').addEventListener('change', function (ev) {
    state.hops = Number(ev.target.value) || 1;
    if (state.highlighted && ALL[state.highlighted].kind === 'enterprise') { highlight(state.highlighted); showDetail(state.highlighted); }
  });
  toggler('toggle-tools', document.getElementById('bar'), 'tools-open');
  toggler('toggle-legend', document.getElementById('legend'), 'open');

  buildSearch();
  buildTable();
  showCount();
  onNetwork.push(function () { if (state.page) network.once('afterDrawing', fit); });
  return {data: DATA, takeOver: takeOver};
};
