// infoops network page: draws the embedded view with vis-network and explains what is hovered.
// Data from the release only ever reaches the DOM through textContent (never innerHTML), so a
// tweet holding markup (a script tag, an img with onerror) stays text.
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("infoops-data").textContent);
  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var details = document.getElementById("details-body");
  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);

  network.once("afterDrawing", function () {
    window.infoopsRenderedMs = performance.now();
    document.body.setAttribute("data-rendered", "true");
  });

  function textElement(tag, className, value) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    element.textContent = value === null || value === undefined ? "" : String(value);
    return element;
  }

  // details: [caption, [[name, value], ...], [example tweet, ...]]
  function describe(details) {
    var box = document.createElement("div");
    box.appendChild(textElement("div", "tip-title", details[0]));
    var facts = document.createElement("dl");
    facts.className = "tip-facts";
    details[1].forEach(function (pair) {
      facts.appendChild(textElement("dt", "", pair[0]));
      facts.appendChild(textElement("dd", "", pair[1]));
    });
    box.appendChild(facts);
    if (details[2].length) {
      box.appendChild(textElement("div", "tip-subtitle", "Example tweets"));
      var list = document.createElement("ul");
      list.className = "tip-examples";
      details[2].forEach(function (example) {
        list.appendChild(textElement("li", "", example));
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
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);
  network.on("click", function (params) {
    if (params.nodes.length) showDetails(params.nodes[0], false);
    else if (params.edges.length) showDetails(params.edges[0], true);
  });

  var findInput = document.getElementById("find-input");
  var findResult = document.getElementById("find-result");
  function find(query) {
    var wanted = query.trim().toLowerCase();
    if (!wanted) return null;
    var bare = wanted.charAt(0) === "@" ? wanted.slice(1) : wanted;
    var exact = nodes.get({
      filter: function (n) {
        if (n.annotation) return false;
        var label = String(n.label || "").toLowerCase();
        return String(n.id).toLowerCase() === bare || label === wanted || label === "@" + bare;
      },
    });
    if (exact.length) return exact[0];
    var partial = nodes.get({
      filter: function (n) {
        return !n.annotation && String(n.label || "").toLowerCase().indexOf(bare) >= 0;
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
    network.fit({ animation: false });
  });

  window.infoops = { network: network, nodes: nodes, edges: edges, showDetails: showDetails };
})();
