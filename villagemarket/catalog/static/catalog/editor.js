/* VillageMarket product editor (ours, no dependencies). Every part enhances a form that already
   works without JavaScript: the description textarea, the category select, the specification
   inputs and the photo arrows keep posting the same fields. */
(function () {
  "use strict";
  var d = document;
  d.documentElement.classList.add("js");
  var L = {};
  try { L = JSON.parse(d.getElementById("editor-labels").textContent); } catch (e) { L = {}; }
  function el(tag, attrs, text) {
    var n = d.createElement(tag);
    for (var k in attrs || {}) { n.setAttribute(k, attrs[k]); }
    if (text) { n.textContent = text; }
    return n;
  }

  /* --- rich text: a contenteditable box writing the textarea; the server sanitises anyway --- */
  var ALLOWED = { P: 1, BR: 1, STRONG: 1, EM: 1, B: 1, I: 1, UL: 1, OL: 1, LI: 1, H3: 1, H4: 1, A: 1 };
  function clean(node) {
    var out = "";
    node.childNodes.forEach(function (c) {
      if (c.nodeType === 3) {
        out += c.textContent.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      } else if (c.nodeType === 1) {
        var tag = c.tagName === "DIV" ? "P" : c.tagName, inner = clean(c);
        if (!ALLOWED[tag]) { out += inner; return; }
        if (tag === "BR") { out += "<br>"; return; }
        var open = tag.toLowerCase();
        if (tag === "A") {
          var href = c.getAttribute("href") || "";
          if (!/^https?:\/\//i.test(href)) { out += inner; return; }
          open += ' href="' + href.replace(/"/g, "&quot;") + '"';
        }
        out += "<" + open + ">" + inner + "</" + tag.toLowerCase() + ">";
      }
    });
    return out;
  }
  d.querySelectorAll("textarea[data-richtext]").forEach(function (area) {
    var box = el("div", { "class": "rte", contenteditable: "true", role: "textbox",
      "aria-multiline": "true", "aria-label": area.labels && area.labels[0] ? area.labels[0].textContent : "" });
    box.innerHTML = area.value;
    var bar = el("div", { "class": "rte-bar", role: "toolbar" });
    [["bold", "B", "bold"], ["italic", "I", "italic"], ["heading", "H", "formatBlock", "h3"],
     ["bullets", "•", "insertUnorderedList"], ["numbers", "1.", "insertOrderedList"],
     ["link", "🔗", "createLink"]].forEach(function (b) {
      var btn = el("button", { type: "button", title: L[b[0]] || b[0], "aria-label": L[b[0]] || b[0] }, b[1]);
      btn.addEventListener("mousedown", function (e) { e.preventDefault(); });
      btn.addEventListener("click", function () {
        box.focus();
        var value = b[3];
        if (b[2] === "createLink") {
          value = window.prompt(L.link_prompt || "https://", "https://");
          if (!value || !/^https?:\/\//i.test(value)) { return; }
        }
        d.execCommand(b[2], false, value);
        sync();
      });
      bar.appendChild(btn);
    });
    function sync() { area.value = clean(box); }
    box.addEventListener("input", sync);
    box.addEventListener("paste", function (e) { // pasted pages bring styles and scripts: text only
      e.preventDefault();
      d.execCommand("insertText", false, (e.clipboardData || window.clipboardData).getData("text/plain"));
    });
    try { d.execCommand("defaultParagraphSeparator", false, "p"); } catch (e) { /* older engines */ }
    area.hidden = true;
    area.parentNode.insertBefore(bar, area);
    area.parentNode.insertBefore(box, area);
    if (area.form) { area.form.addEventListener("submit", sync); }
  });

  /* --- category picker: search the tree by any part of its path --- */
  d.querySelectorAll("select[data-category-picker]").forEach(function (sel) {
    var search = el("input", { type: "search", "class": "cat-search", placeholder: L.search || "",
      "aria-label": L.search || "" });
    var list = el("ul", { "class": "cat-list", role: "listbox" });
    list.hidden = true;
    var options = Array.prototype.slice.call(sel.options).filter(function (o) { return o.value; });
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      list.innerHTML = "";
      if (!q) { list.hidden = true; return; }
      var found = options.filter(function (o) { return o.text.toLowerCase().indexOf(q) >= 0; }).slice(0, 30);
      if (!found.length) { list.appendChild(el("li", { "class": "muted" }, L.no_match || "")); }
      found.forEach(function (o) {
        var li = el("li", { role: "option", tabindex: "0", "data-value": o.value }, o.text.trim());
        li.addEventListener("click", function () { choose(o); });
        li.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); choose(o); } });
        list.appendChild(li);
      });
      list.hidden = false;
    });
    function choose(o) {
      sel.value = o.value;
      search.value = "";
      list.hidden = true;
      sel.dispatchEvent(new Event("change"));
    }
    sel.parentNode.insertBefore(search, sel);
    sel.parentNode.insertBefore(list, sel);
  });

  /* --- specifications as chips; the matrix table follows them --- */
  var form = d.getElementById("matrix-form");
  if (form) {
    var tbody = form.querySelector("#matrix tbody");
    var photoSelect = form.querySelector("select[name$='-image']");
    var photoOptions = photoSelect ? photoSelect.innerHTML.replace(/ selected/g, "") : '<option value="">—</option>';
    var split = /[,，、;；\n]+/;
    function specs() {
      var names = form.querySelectorAll("input[name=spec_name]"), values = form.querySelectorAll("input[name=spec_values]"), out = [];
      names.forEach(function (n, i) {
        var vals = values[i].value.split(split).map(function (v) { return v.trim(); }).filter(Boolean);
        if (n.value.trim() && vals.length) { out.push({ name: n.value.trim(), values: vals }); }
      });
      return out;
    }
    function combos(sp) {
      var out = [{}];
      sp.forEach(function (s) {
        var next = [];
        out.forEach(function (c) { s.values.forEach(function (v) { var o = Object.assign({}, c); o[s.name] = v; next.push(o); }); });
        out = next;
      });
      return out;
    }
    function key(o) { return JSON.stringify(Object.keys(o).sort().map(function (k) { return [k, o[k]]; })); }
    function typed() {
      var rows = {};
      tbody.querySelectorAll("tr").forEach(function (tr) {
        var opt = tr.querySelector("input[name$='-options']");
        if (!opt) { return; }
        var cells = {};
        tr.querySelectorAll("[name^=row-]").forEach(function (f) { cells[f.name.replace(/^row-\d+-/, "")] = f.value; });
        rows[key(JSON.parse(opt.value))] = cells;
      });
      return rows;
    }
    function rebuild() {
      var sp = specs(), all = combos(sp), old = typed();
      if (all.length > 200) { tbody.innerHTML = ""; tbody.appendChild(el("tr", {}, "")).appendChild(el("td", { colspan: "6", "class": "errorlist" }, L.too_many || "")); return; }
      tbody.innerHTML = "";
      all.forEach(function (o, j) {
        var c = old[key(o)] || {}, label = Object.keys(o).map(function (k) { return o[k]; }).join(" / ") || L.single || "";
        var tr = el("tr"), th = el("th", { scope: "row" }, label);
        var hid = el("input", { type: "hidden", name: "row-" + j + "-options" }); hid.value = JSON.stringify(o);
        var exp = el("input", { type: "hidden", name: "row-" + j + "-expected" }); exp.value = c.expected || "";
        th.appendChild(hid); th.appendChild(exp); tr.appendChild(th);
        [["price", "decimal", 7], ["stock", "numeric", 5], ["weight", "numeric", 5], ["code", "text", 8]].forEach(function (f) {
          var td = el("td"), input = el("input", { name: "row-" + j + "-" + f[0], inputmode: f[1], size: String(f[2]), "aria-label": f[0] + " " + label });
          input.value = c[f[0]] || "";
          td.appendChild(input); tr.appendChild(td);
        });
        var td = el("td"), s = el("select", { name: "row-" + j + "-image", "aria-label": label });
        s.innerHTML = photoOptions; s.value = c.image || "";
        td.appendChild(s); tr.appendChild(td);
        tbody.appendChild(tr);
      });
    }
    form.querySelectorAll("input[data-chips]").forEach(function (input) {
      var wrap = el("div", { "class": "chips" }), add = el("input", { "class": "chip-input", placeholder: input.placeholder, "aria-label": input.getAttribute("aria-label") || "" });
      function values() { return input.value.split(split).map(function (v) { return v.trim(); }).filter(Boolean); }
      function draw() {
        wrap.querySelectorAll(".chip").forEach(function (c) { c.remove(); });
        values().forEach(function (v, i) {
          var chip = el("span", { "class": "chip" }, v), x = el("button", { type: "button", "aria-label": (L.remove || "x") + " " + v }, "×");
          x.addEventListener("click", function () { var vs = values(); vs.splice(i, 1); input.value = vs.join(", "); draw(); rebuild(); });
          chip.appendChild(x);
          wrap.insertBefore(chip, add);
        });
      }
      function commit() {
        var vs = values();
        add.value.split(split).map(function (v) { return v.trim(); }).filter(Boolean).forEach(function (v) { if (vs.indexOf(v) < 0) { vs.push(v); } });
        add.value = ""; input.value = vs.join(", "); draw(); rebuild();
      }
      add.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === "," || e.key === "，") { e.preventDefault(); commit(); } });
      add.addEventListener("blur", function () { if (add.value.trim()) { commit(); } });
      wrap.appendChild(add);
      input.hidden = true;
      input.parentNode.insertBefore(wrap, input.nextSibling);
      draw();
    });
    form.querySelectorAll("input[name=spec_name]").forEach(function (n) { n.addEventListener("change", rebuild); });
    var fill = form.querySelector("[data-fill]");
    if (fill) {
      fill.addEventListener("click", function (e) {
        e.preventDefault();
        ["price", "stock", "weight"].forEach(function (name) {
          var v = form.querySelector("input[name=fill_" + name + "]").value.trim();
          if (v) { tbody.querySelectorAll("input[name$='-" + name + "']").forEach(function (i) { i.value = v; }); }
        });
      });
    }
    form.addEventListener("submit", function () { // chips typed but not committed still count
      form.querySelectorAll(".chip-input").forEach(function (a) { if (a.value.trim()) { a.dispatchEvent(new Event("blur")); } });
    });
  }

  /* --- photos: drag to reorder (the arrows remain for touch and no-JS) --- */
  var thumbs = d.getElementById("thumbs"), reorder = d.getElementById("reorder-form");
  if (thumbs && reorder) {
    var dragged = null;
    thumbs.addEventListener("dragstart", function (e) { dragged = e.target.closest("li"); e.dataTransfer.effectAllowed = "move"; });
    thumbs.addEventListener("dragover", function (e) {
      e.preventDefault();
      var over = e.target.closest("li");
      if (!dragged || !over || over === dragged) { return; }
      var after = Array.prototype.indexOf.call(thumbs.children, over) > Array.prototype.indexOf.call(thumbs.children, dragged);
      thumbs.insertBefore(dragged, after ? over.nextSibling : over);
    });
    thumbs.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!dragged) { return; }
      dragged = null;
      reorder.querySelector("input[name=order]").value = Array.prototype.map.call(thumbs.children, function (li) { return li.dataset.id; }).join(",");
      reorder.submit();
    });
  }
})();
