// infoops network page: draws the embedded view with vis-network and explains what is hovered.
// Data from the release only ever reaches the DOM through textContent (never innerHTML), so a
// tweet holding markup (a script tag, an img with onerror) stays text.
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("infoops-data").textContent);
  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var details = document.getElementById("details-body");
  var rule = payload.labels;
  var LINE_HEIGHT = 1.3;

  // Labels of dots and stars (and the annotations, such as a time axis) are drawn by this script,
  // not by vis-network: vis draws every label it is given, at the zoom's scale, so a view of a
  // few hundred nodes becomes a mat of overlapping text. Here a label is drawn at a fixed size
  // on screen, for the largest nodes first, and only where it overlaps no label already drawn.
  // The data keep their labels (exports and tests read them); vis gets the nodes without.
  var labels = {};
  var annotations = [];
  var sizes = {};
  payload.nodes.forEach(function (node) {
    if (node.annotation) {
      annotations.push({ id: node.id, text: String(node.label) });
      delete node.label;
    } else if (!node.shape || rule.shapes.indexOf(node.shape) >= 0) {
      labels[node.id] = String(node.label === undefined ? "" : node.label);
      sizes[node.id] = node.size || 0;
      delete node.label;
    }
  });
  var ranked = Object.keys(labels).sort(function (a, b) {
    return sizes[b] - sizes[a];
  });

  // Arrowheads are drawn only once the view is zoomed in enough for them to be seen: zoomed
  // out over thousands of edges they are under a pixel, yet cost most of the drawing time.
  // Whether they show at the start is judged from the positions in the data (dots only), so
  // that the first draw does not pay for them.
  var arrowsWanted = payload.options.edges.arrows.to.enabled;
  var arrowsShown = arrowsWanted && !(startScale() < rule.arrowsMinScale);
  payload.options.edges.arrows.to.enabled = arrowsShown;

  function startScale() {
    var bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity, biggest: 0 };
    var placed = payload.nodes.every(function (node) {
      if (typeof node.x !== "number" || typeof node.y !== "number") return false;
      var radius = node.size || 0;
      bounds.minX = Math.min(bounds.minX, node.x - radius);
      bounds.maxX = Math.max(bounds.maxX, node.x + radius);
      bounds.minY = Math.min(bounds.minY, node.y - radius);
      bounds.maxY = Math.max(bounds.maxY, node.y + radius);
      if (Object.prototype.hasOwnProperty.call(sizes, node.id)) {
        bounds.biggest = Math.max(bounds.biggest, sizes[node.id]);
      }
      return true;
    });
    var target = placed ? fitted(bounds) : null; // physics views: not known before they settle
    return target === null ? Infinity : target.scale;
  }

  function syncArrows() {
    if (!arrowsWanted) return;
    var show = network.getScale() >= rule.arrowsMinScale;
    if (show === arrowsShown) return;
    arrowsShown = show;
    network.setOptions({ edges: { arrows: { to: { enabled: show } } } });
  }

  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);
  var hovered = null;
  var widths = {}; // label text width at a 1 px font, measured once per node

  // label font from the node's size within the page's range of node sizes
  function fontPx(id) {
    var span = rule.nodePx[1] - rule.nodePx[0];
    var share = Math.max(0, Math.min(1, (sizes[id] - rule.nodePx[0]) / span));
    return Math.round(rule.minPx + share * (rule.maxPx - rule.minPx));
  }

  // The part of the canvas that is seen (in the canvas's own pixels): not what the side panel
  // covers, should a narrow window lay it over the canvas.
  function visibleArea() {
    var box = container.getBoundingClientRect();
    var right = box.width;
    var side = document.querySelector(".side");
    if (side) {
      var panel = side.getBoundingClientRect();
      var overlaps = panel.top < box.bottom && panel.bottom > box.top;
      if (overlaps && panel.left < box.right && panel.right > box.left) {
        right = Math.max(0, Math.min(right, panel.left - box.left));
      }
    }
    return { left: 0, top: 0, right: right, bottom: box.height };
  }

  function overlapsAny(box, taken) {
    for (var i = 0; i < taken.length; i++) {
      var other = taken[i];
      if (
        box.left < other.right &&
        box.right > other.left &&
        box.top < other.bottom &&
        box.bottom > other.top
      ) {
        return true;
      }
    }
    return false;
  }

  // The labels to draw now: hovered and selected nodes always, then the largest nodes on
  // screen, as many as the canvas area allows, skipping any that would overlap one taken.
  function chooseLabels(ctx) {
    var area = visibleArea();
    var budget = Math.max(
      rule.minLabels,
      Math.floor(((area.right - area.left) * (area.bottom - area.top)) / rule.areaPerLabel)
    );
    var scale = network.getScale();
    var forced = network.getSelectedNodes().filter(function (id) {
      return Object.prototype.hasOwnProperty.call(labels, id);
    });
    if (hovered !== null && forced.indexOf(hovered) < 0) forced.unshift(hovered);
    var chosen = [];
    var taken = [];
    function place(id, always) {
      var text = labels[id];
      if (!text) return;
      var px = fontPx(id);
      var lines = text.split("\n");
      if (!Object.prototype.hasOwnProperty.call(widths, id)) {
        ctx.font = "100px " + rule.face;
        widths[id] = Math.max.apply(
          null,
          lines.map(function (line) {
            return ctx.measureText(line).width / 100;
          })
        );
      }
      var width = widths[id] * px;
      var at = network.canvasToDOM(network.getPosition(id));
      var top = at.y + sizes[id] * scale + rule.gapPx;
      // centred under its node, but slid sideways rather than cut by an edge of the canvas
      var left = at.x - width / 2 - 2;
      left = Math.max(area.left, Math.min(left, area.right - width - 4));
      var box = {
        left: left,
        right: left + width + 4,
        top: top,
        bottom: top + lines.length * px * LINE_HEIGHT,
      };
      if (!always) {
        var seen =
          at.x >= area.left &&
          at.x <= area.right &&
          box.left >= area.left &&
          box.right <= area.right &&
          box.top >= area.top &&
          box.bottom <= area.bottom;
        if (!seen || overlapsAny(box, taken)) return;
      }
      taken.push(box);
      var centre = (box.left + box.right) / 2;
      chosen.push({ id: id, lines: lines, px: px, x: centre, y: top, box: box });
    }
    forced.forEach(function (id) {
      place(id, true);
    });
    for (var i = 0; i < ranked.length && chosen.length < budget + forced.length; i++) {
      if (forced.indexOf(ranked[i]) < 0) place(ranked[i], false);
    }
    return chosen;
  }

  function drawText(ctx, text, x, y, px, colour, weight) {
    ctx.font = weight + " " + px + "px " + rule.face;
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ffffff";
    ctx.lineJoin = "round";
    ctx.strokeText(text, x, y);
    ctx.fillStyle = colour;
    ctx.fillText(text, x, y);
  }

  // Drawn in screen pixels over the finished frame (vis has drawn nodes and edges).
  network.on("afterDrawing", function (ctx) {
    var chosen = chooseLabels(ctx);
    var ratio = ctx.canvas.width / Math.max(1, ctx.canvas.clientWidth);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "middle"; // an annotation is centred on its point, as vis would draw it
    annotations.forEach(function (note) {
      var at = network.canvasToDOM(network.getPosition(note.id));
      drawText(ctx, note.text, at.x, at.y, rule.annotationPx, "#57606a", "normal");
    });
    ctx.textBaseline = "top";
    chosen.forEach(function (label) {
      var weight = label.id === hovered ? "bold" : "normal";
      label.lines.forEach(function (line, i) {
        var y = label.y + i * label.px * LINE_HEIGHT;
        drawText(ctx, line, label.x, y, label.px, "#1f2328", weight);
      });
    });
    ctx.restore();
    // what was drawn where (canvas pixels), for the browser test
    window.infoopsLabels = chosen.map(function (label) {
      return { id: label.id, box: label.box };
    });
  });

  // Fit the whole drawing into the visible canvas area, with room for the labels under the
  // nodes and at the sides. vis measures every node (a box's size depends on its text) in its
  // own fit, before the first draw: the view is fitted then, and checked again after the first
  // draw, so that nothing starts off an edge or under the side panel.
  // The drawing's extent in canvas units, from vis's measures (after its own fit)
  function drawnBounds() {
    var bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity, biggest: 0 };
    nodes.getIds().forEach(function (id) {
      var box = network.getBoundingBox(id);
      if (!box) return;
      bounds.minX = Math.min(bounds.minX, box.left);
      bounds.maxX = Math.max(bounds.maxX, box.right);
      bounds.minY = Math.min(bounds.minY, box.top);
      bounds.maxY = Math.max(bounds.maxY, box.bottom);
      bounds.biggest = Math.max(bounds.biggest, sizes[id] || 0);
    });
    return bounds;
  }

  function fitted(bounds) {
    var minX = bounds.minX;
    var minY = bounds.minY;
    var maxX = bounds.maxX;
    var maxY = bounds.maxY;
    var biggest = bounds.biggest;
    if (!isFinite(minX)) return null;
    var area = visibleArea();
    var margin = rule.fitMarginPx;
    var width = Math.max(1, area.right - area.left - 2 * margin.side);
    var height = Math.max(1, area.bottom - area.top - margin.top - margin.bottom);
    var scale = Math.min(
      rule.maxFitScale,
      biggest > 0 ? rule.maxFitNodePx / biggest : rule.maxFitScale,
      width / Math.max(1, maxX - minX),
      height / Math.max(1, maxY - minY)
    );
    // the drawing's centre goes to the centre of the free area; vis centres on the canvas
    var wantX = area.left + margin.side + width / 2;
    var wantY = area.top + margin.top + height / 2;
    var box = container.getBoundingClientRect();
    return {
      position: {
        x: (minX + maxX) / 2 + (box.width / 2 - wantX) / scale,
        y: (minY + maxY) / 2 + (box.height / 2 - wantY) / scale,
      },
      scale: scale,
    };
  }

  // Moves the view to fit; false if it was fitted already (no redraw needed).
  function fitView() {
    var target = fitted(drawnBounds());
    if (target === null) return false;
    var now = network.getViewPosition();
    var scale = network.getScale();
    var moved =
      Math.abs(target.scale - scale) > 1e-3 * scale ||
      Math.abs(target.position.x - now.x) * scale > 0.5 ||
      Math.abs(target.position.y - now.y) * scale > 0.5;
    if (moved) network.moveTo({ position: target.position, scale: target.scale, animation: false });
    syncArrows();
    return moved;
  }

  // Physics views keep moving a little after their first draw: fit again once they settle,
  // unless the reader has already moved the view.
  var touched = false;
  var physicsOn = payload.options.physics && payload.options.physics.enabled;
  function settled() {
    document.body.setAttribute("data-settled", "true");
  }
  function rendered() {
    window.infoopsRenderedMs = performance.now();
    document.body.setAttribute("data-rendered", "true");
    if (!physicsOn) settled();
  }
  fitView();
  network.once("afterDrawing", function () {
    if (fitView()) network.once("afterDrawing", rendered);
    else rendered();
  });
  if (physicsOn) {
    network.once("stabilized", function () {
      if (!touched && fitView()) network.once("afterDrawing", settled);
      else settled();
    });
  }
  // a resized window (or canvas) is fitted again, unless the reader has moved the view
  network.on("resize", function () {
    if (!touched && document.body.hasAttribute("data-rendered")) fitView();
  });
  ["dragStart", "zoom", "click"].forEach(function (name) {
    network.on(name, function () {
      touched = true;
    });
  });

  function textElement(tag, className, value) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    element.textContent = value === null || value === undefined ? "" : String(value);
    return element;
  }

  // details: [caption, [name, value, name, value, ...], [example tweet, ...]], every text a
  // number into the page's one list of texts (tooltip_text.py); an edge's caption is
  // [source label, target label, kind].
  function describe(entry) {
    var text = allDetails.text;
    var caption = Array.isArray(entry[0])
      ? text[entry[0][0]] + " \u2192 " + text[entry[0][1]] + " (" + text[entry[0][2]] + ")"
      : text[entry[0]];
    var box = document.createElement("div");
    box.appendChild(textElement("div", "tip-title", caption));
    var facts = document.createElement("dl");
    facts.className = "tip-facts";
    for (var i = 0; i + 1 < entry[1].length; i += 2) {
      facts.appendChild(textElement("dt", "", text[entry[1][i]]));
      facts.appendChild(textElement("dd", "", text[entry[1][i + 1]]));
    }
    box.appendChild(facts);
    if (entry[2].length) {
      box.appendChild(textElement("div", "tip-subtitle", "Example tweets"));
      var list = document.createElement("ul");
      list.className = "tip-examples";
      entry[2].forEach(function (example) {
        list.appendChild(textElement("li", "", text[example]));
      });
      box.appendChild(list);
    }
    return box;
  }

  // Tooltip details come after this script in the page and are parsed on first use, so that
  // the network is drawn without waiting for them.
  var allDetails = null;
  function detailsOf(id, isEdge) {
    if (allDetails === null) {
      allDetails = JSON.parse(document.getElementById("infoops-details").textContent);
    }
    var table = isEdge ? allDetails.edges : allDetails.nodes;
    return Object.prototype.hasOwnProperty.call(table, id) ? table[id] : null;
  }

  function showTooltip(params) {
    var details =
      params.node !== undefined ? detailsOf(params.node, false) : detailsOf(params.edge, true);
    if (!details) return;
    tooltip.replaceChildren(describe(details));
    tooltip.hidden = false;
    var x = params.pointer.DOM.x + 14;
    var y = params.pointer.DOM.y + 14;
    var maxX = container.clientWidth - tooltip.offsetWidth - 4;
    var maxY = container.clientHeight - tooltip.offsetHeight - 4;
    tooltip.style.left = Math.max(0, Math.min(x, maxX)) + "px";
    tooltip.style.top = Math.max(0, Math.min(y, maxY)) + "px";
  }

  function hideTooltip() {
    tooltip.hidden = true;
  }

  function showDetails(id, isEdge) {
    var found = detailsOf(id, isEdge);
    if (!found) return false;
    details.replaceChildren(describe(found));
    return true;
  }

  network.on("hoverNode", showTooltip);
  network.on("hoverEdge", showTooltip);
  network.on("hoverNode", function (params) {
    hovered = params.node;
    network.redraw();
  });
  network.on("blurNode", function () {
    hovered = null;
    network.redraw();
  });
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);
  network.on("zoom", syncArrows);
  network.on("click", function (params) {
    if (params.nodes.length) showDetails(params.nodes[0], false);
    else if (params.edges.length) showDetails(params.edges[0], true);
  });

  function labelOf(node) {
    var text = Object.prototype.hasOwnProperty.call(labels, node.id) ? labels[node.id] : node.label;
    return String(text || "");
  }

  var findInput = document.getElementById("find-input");
  var findResult = document.getElementById("find-result");
  function find(query) {
    var wanted = query.trim().toLowerCase();
    if (!wanted) return null;
    var bare = wanted.charAt(0) === "@" ? wanted.slice(1) : wanted;
    var exact = nodes.get({
      filter: function (n) {
        if (n.annotation) return false;
        var label = labelOf(n).toLowerCase();
        return String(n.id).toLowerCase() === bare || label === wanted || label === "@" + bare;
      },
    });
    if (exact.length) return exact[0];
    var partial = nodes.get({
      filter: function (n) {
        return !n.annotation && labelOf(n).toLowerCase().indexOf(bare) >= 0;
      },
    });
    return partial.length ? partial[0] : null;
  }
  document.getElementById("find-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var match = find(findInput.value);
    if (!match) {
      findResult.textContent = "No node matches " + JSON.stringify(findInput.value) + ".";
      return;
    }
    findResult.textContent = "";
    network.selectNodes([match.id]);
    network.focus(match.id, { scale: 1.4, animation: false });
    showDetails(match.id, false);
  });
  document.getElementById("fit-button").addEventListener("click", function () {
    fitView();
  });

  window.infoops = {
    network: network,
    nodes: nodes,
    edges: edges,
    showDetails: showDetails,
    fit: fitView,
    visibleArea: visibleArea,
  };
})();
