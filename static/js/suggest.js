// Suggestions while typing in a search box marked data-suggest: instruments (by name,
// symbol, code or pinyin) and commentary titles from /api/suggest, in a listbox popup
// following the WAI-ARIA 1.2 combobox pattern. Without this script the box is a plain
// search field; with it, Enter without a chosen suggestion still submits the search.
(function () {
  "use strict";

  var DELAY_MS = 150; // wait for a pause in typing before asking
  var MAX_QUERY = 100; // the API's limit: past it a reader writes a query, not a name
  var counter = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function optionContent(item) {
    var parts = [];
    if (item.kind === "instrument") {
      parts.push(el("span", "suggest-label", item.label));
      parts.push(el("span", "suggest-symbol", item.symbol));
      var meta = [item.category];
      if (item.matched) meta.push(item.matched);
      if (item.mentions > 0) meta.push("提及 " + item.mentions + " 次");
      parts.push(el("span", "suggest-meta", meta.join(" · ")));
    } else {
      parts.push(el("span", "suggest-tag", "评论"));
      parts.push(el("span", "suggest-label", item.label));
      parts.push(el("span", "suggest-meta", item.date));
    }
    return parts;
  }

  function Combobox(input) {
    var id = input.id || "suggest-input-" + ++counter;
    var listId = id + "-suggestions";
    this.input = input;
    this.items = [];
    this.active = -1;
    this.timer = 0;
    this.controller = null;
    this.cache = new Map();
    this.shownFor = null;

    var wrapper = el("div", "suggest-field");
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    this.list = el("ul", "suggest-list");
    this.list.id = listId;
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", "搜索建议");
    this.list.hidden = true;
    wrapper.appendChild(this.list);
    this.status = el("div", "visually-hidden");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    wrapper.appendChild(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var self = this;
    input.addEventListener("input", function () { self.schedule(); });
    input.addEventListener("keydown", function (event) { self.key(event); });
    input.addEventListener("blur", function () { self.close(); });
    input.addEventListener("focus", function () {
      if (self.items.length && self.shownFor === self.query()) self.open();
    });
    // Keep the focus in the box while a suggestion is clicked.
    this.list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) self.choose(Number(option.dataset.index));
    });
    this.list.addEventListener("mousemove", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) self.highlight(Number(option.dataset.index), false);
    });
  }

  Combobox.prototype.query = function () {
    return this.input.value.trim();
  };

  Combobox.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    var q = this.query();
    if (!q || q.length > MAX_QUERY) {
      if (this.controller) this.controller.abort();
      this.show(q, []);
      return;
    }
    this.timer = window.setTimeout(function () { self.fetch(q); }, DELAY_MS);
  };

  Combobox.prototype.fetch = function (q) {
    var self = this;
    if (this.cache.has(q)) {
      this.show(q, this.cache.get(q));
      return;
    }
    if (this.controller) this.controller.abort();
    var controller = (this.controller = new AbortController());
    fetch("/api/suggest?q=" + encodeURIComponent(q), {
      headers: { Accept: "application/json" },
      signal: controller.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (body) {
        self.cache.set(q, body.suggestions);
        // An answer for what the box no longer holds is dropped.
        if (self.query() === q) self.show(q, body.suggestions);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") self.show(q, []);
      });
  };

  Combobox.prototype.show = function (q, items) {
    this.items = items;
    this.shownFor = q;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.replaceChildren();
    var self = this;
    items.forEach(function (item, index) {
      var option = el("li", "suggest-option suggest-" + item.kind);
      option.id = self.list.id + "-" + index;
      option.dataset.index = String(index);
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      optionContent(item).forEach(function (part) { option.appendChild(part); });
      self.list.appendChild(option);
    });
    if (items.length && document.activeElement === this.input) {
      this.open();
      this.status.textContent = items.length + " 条建议，按上下方向键选择";
    } else {
      this.close();
      this.status.textContent = q ? "没有建议" : "";
    }
  };

  Combobox.prototype.open = function () {
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    window.clearTimeout(this.timer);
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.highlight(-1, false);
  };

  Combobox.prototype.isOpen = function () {
    return !this.list.hidden;
  };

  Combobox.prototype.highlight = function (index, scroll) {
    var options = this.list.children;
    if (this.active >= 0 && options[this.active]) {
      options[this.active].setAttribute("aria-selected", "false");
    }
    this.active = index;
    if (index < 0) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    var option = options[index];
    option.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", option.id);
    if (scroll) option.scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.move = function (step) {
    if (!this.items.length) return;
    if (!this.isOpen()) this.open();
    var next = this.active + step;
    // Past either end the focus returns to the text, as the pattern suggests.
    if (next >= this.items.length) next = -1;
    else if (next < -1) next = this.items.length - 1;
    this.highlight(next, true);
  };

  Combobox.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) return;
    this.close();
    window.location.assign(item.url);
  };

  Combobox.prototype.key = function (event) {
    if (event.isComposing || event.keyCode === 229) return; // the IME has the keys
    switch (event.key) {
      case "ArrowDown":
        if (event.altKey) {
          if (this.items.length) this.open();
        } else {
          this.move(1);
        }
        event.preventDefault();
        break;
      case "ArrowUp":
        if (this.items.length) {
          this.move(-1);
          event.preventDefault();
        }
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        } else {
          this.close(); // and the form submits the search as typed
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        }
        break;
      case "Tab":
        this.close();
        break;
    }
  };

  function start() {
    var inputs = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < inputs.length; i++) new Combobox(inputs[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
