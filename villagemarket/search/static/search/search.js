/* VillageMarket search: suggestions under the search box, and results filters that update in
   place. Without this script the box is a plain form and every filter a plain link. */
(function () {
  "use strict";

  /* Suggestions: an ARIA combobox over GET <data-suggest>?q= (products, categories, shops,
     villages), debounced; arrows move, Enter opens, Escape closes; touch/click opens. */
  function suggestBox(form) {
    var input = form.querySelector("input[name=q]");
    if (!input || !window.fetch) return;
    var list = document.createElement("ul");
    var active = -1, items = [], timer = 0, asked = "", pending = null;
    list.id = "suggest-list";
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.dataset.label || "");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(i) {
      active = i;
      items.forEach(function (li, n) { li.setAttribute("aria-selected", n === i ? "true" : "false"); });
      if (i < 0) { input.removeAttribute("aria-activedescendant"); return; }
      input.setAttribute("aria-activedescendant", items[i].id);
      items[i].scrollIntoView({ block: "nearest" });
    }
    function show(data) {
      list.textContent = "";
      items = [];
      ["products", "categories", "shops", "villages"].forEach(function (kind) {
        (data[kind] || []).forEach(function (s) {
          var li = document.createElement("li"), tag = document.createElement("span");
          li.id = "suggest-" + items.length;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", "false");
          li.dataset.url = s.url;
          li.textContent = s.title || s.name;
          tag.className = "kind";
          tag.textContent = " · " + (form.dataset[kind] || kind);
          li.appendChild(tag);
          list.appendChild(li);
          items.push(li);
        });
      });
      active = -1;
      list.hidden = !items.length;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (pending) pending.abort();
      if (!q) { close(); return; }
      pending = new AbortController();
      fetch(form.dataset.suggest + "?q=" + encodeURIComponent(q), { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && input.value.trim() === q) show(data); })
        .catch(function () { /* aborted or offline: the plain form still works */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        var n = items.length, step = e.key === "ArrowDown" ? 1 : -1;
        mark(active < 0 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        window.location.href = items[active].dataset.url;
      } else if (e.key === "Escape") {
        close();
      }
    });
    // pointerdown keeps the focus in the field, so the list is still there when the tap ends
    list.addEventListener("pointerdown", function (e) { e.preventDefault(); });
    list.addEventListener("click", function (e) {
      var li = e.target.closest("[role=option]");
      if (li) window.location.href = li.dataset.url;
    });
    input.addEventListener("blur", close);
    input.addEventListener("focus", function () { if (items.length && input.value.trim() === asked) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } });
  }

  /* Results: a link inside [data-inplace] that stays on this page (sort, filter, page) fetches
     only the region (HX-Request header, answered by the view's partial) and swaps it; the URL
     follows with pushState, and Back swaps the earlier state in again. */
  function region() { return document.querySelector("[data-inplace]"); }
  function load(href, push) {
    var old = region();
    old.setAttribute("aria-busy", "true");
    return fetch(href, { headers: { "HX-Request": "true" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html;
        var fresh = t.content.querySelector("[data-inplace]");
        if (!fresh) throw new Error("no region");
        region().replaceWith(fresh);
        if (push) history.pushState({ inplace: true }, "", href);
        fresh.focus({ preventScroll: true });
      })
      .catch(function () { window.location.href = href; });
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("[data-inplace] a[href]");
    if (!a || !window.fetch || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (a.origin !== location.origin || a.pathname !== location.pathname) return;
    e.preventDefault();
    load(a.href, true);
  });
  window.addEventListener("popstate", function (e) {
    if (e.state && e.state.inplace && region()) load(location.href, false);
  });

  function start() {
    document.querySelectorAll("form[data-suggest]").forEach(suggestBox);
    if (region() && window.fetch) history.replaceState({ inplace: true }, "", location.href);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
