// The drill: every card of flashcards.json, scheduled with Leitner boxes.
//
// A card you know moves up one box and comes back after that box's interval;
// a card you miss goes back to box 1 and comes back at the end of the session.
// The schedule lives in this browser's localStorage, as does the last deck
// fetched, so the page keeps working offline once it has been opened.
(function () {
  var STATE_KEY = "guide-drill:v1";
  var DECK_KEY = "guide-drill:deck";
  var DAY = 24 * 60 * 60 * 1000;
  var INTERVALS = [0, 1, 3, 7, 14, 30]; // days before a card in box i is due again
  var BOXES = INTERVALS.length - 1;

  function load(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (error) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      /* storage full or disabled: the schedule lasts for this visit only */
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function typeset(node) {
    if (typeof renderMathInElement !== "function") return;
    renderMathInElement(node, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  }

  function Drill(root, deck) {
    this.root = root;
    this.cards = deck.cards;
    this.state = load(STATE_KEY, { cards: {}, category: "", tag: "" });
    this.missed = []; // ids missed this session, asked again before it ends
    this.build();
    this.next();
  }

  Drill.prototype.build = function () {
    var self = this;
    var categories = {}, tags = {};
    this.cards.forEach(function (card) {
      categories[card.category] = true;
      card.tags.forEach(function (tag) { tags[tag] = true; });
    });
    var controls = el("div", "guide-drill__controls");
    this.category = this.select("Category", Object.keys(categories).sort(), this.state.category);
    this.tag = this.select("Tag", Object.keys(tags).sort(), this.state.tag);
    controls.append(this.category.label, this.tag.label);
    this.stats = el("p", "guide-drill__stats");
    this.stats.setAttribute("aria-live", "polite");
    this.card = el("div", "guide-drill__card");
    this.card.tabIndex = 0;
    this.front = el("div", "guide-drill__front");
    this.back = el("div", "guide-drill__back");
    this.back.hidden = true;
    this.link = el("a", "guide-drill__source", "Open the card's page");
    this.card.append(this.front, this.back);
    var buttons = el("div", "guide-drill__buttons");
    this.flipButton = this.button("Show answer (Space)", "flip", function () { self.flip(); });
    this.unknownButton = this.button("Missed it (1)", "unknown", function () { self.grade(false); });
    this.knownButton = this.button("Knew it (2)", "known", function () { self.grade(true); });
    var reset = this.button("Reset progress", "reset", function () {
      if (window.confirm("Forget every card's box and start again?")) {
        self.state.cards = {};
        self.save();
        self.next();
      }
    });
    buttons.append(this.flipButton, this.unknownButton, this.knownButton, reset);
    this.root.replaceChildren(controls, this.stats, this.card, this.link, buttons);
    [this.category.select, this.tag.select].forEach(function (select) {
      select.addEventListener("change", function () {
        self.state.category = self.category.select.value;
        self.state.tag = self.tag.select.value;
        self.missed = [];
        self.save();
        self.next();
      });
    });
    document.addEventListener("keydown", function (event) {
      if (!self.root.isConnected || /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) return;
      if (event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        self.flip();
      } else if (event.key === "1" && !self.back.hidden) {
        self.grade(false);
      } else if (event.key === "2" && !self.back.hidden) {
        self.grade(true);
      }
    });
  };

  Drill.prototype.select = function (name, values, chosen) {
    var label = el("label", "guide-drill__filter", name + " ");
    var select = el("select");
    select.name = name.toLowerCase();
    select.append(new Option("All", ""));
    values.forEach(function (value) { select.append(new Option(value, value)); });
    select.value = values.indexOf(chosen) >= 0 ? chosen : "";
    label.append(select);
    return { label: label, select: select };
  };

  Drill.prototype.button = function (text, name, action) {
    var button = el("button", "md-button guide-drill__" + name, text);
    button.type = "button";
    button.addEventListener("click", action);
    return button;
  };

  Drill.prototype.save = function () { save(STATE_KEY, this.state); };

  Drill.prototype.selected = function () {
    var category = this.category.select.value, tag = this.tag.select.value;
    return this.cards.filter(function (card) {
      return (!category || card.category === category) && (!tag || card.tags.indexOf(tag) >= 0);
    });
  };

  // Due cards first (lowest box, then longest overdue), then cards never seen,
  // in the order of the guide; cards missed this session come back last.
  Drill.prototype.queue = function () {
    var now = Date.now(), state = this.state.cards, missed = this.missed;
    var due = [], fresh = [], again = [];
    this.selected().forEach(function (card) {
      var entry = state[card.id];
      if (missed.indexOf(card.id) >= 0) again.push(card);
      else if (!entry) fresh.push(card);
      else if (entry.due <= now) due.push(card);
    });
    due.sort(function (a, b) {
      return state[a.id].box - state[b.id].box || state[a.id].due - state[b.id].due;
    });
    return due.concat(fresh, again);
  };

  Drill.prototype.next = function () {
    var queue = this.queue();
    this.current = queue[0] || null;
    this.back.hidden = true;
    this.showStats(queue.length);
    if (!this.current) {
      this.front.textContent = "Nothing due in this selection. Come back later, or pick another category or tag.";
      this.back.replaceChildren();
      this.link.hidden = true;
      [this.flipButton, this.unknownButton, this.knownButton].forEach(function (b) { b.disabled = true; });
      return;
    }
    this.card.dataset.cardId = this.current.id;
    this.front.innerHTML = this.current.front_html;
    this.back.innerHTML = this.current.back_html;
    this.link.href = this.current.url;
    this.link.hidden = false;
    typeset(this.front);
    typeset(this.back);
    this.flipButton.disabled = false;
    this.unknownButton.disabled = this.knownButton.disabled = true;
  };

  Drill.prototype.flip = function () {
    if (!this.current) return;
    this.back.hidden = !this.back.hidden;
    this.unknownButton.disabled = this.knownButton.disabled = this.back.hidden;
  };

  Drill.prototype.grade = function (known) {
    if (!this.current || this.back.hidden) return;
    var id = this.current.id;
    var entry = this.state.cards[id] || { box: 1, due: 0 };
    entry.box = known ? Math.min(entry.box + 1, BOXES) : 1;
    entry.due = Date.now() + INTERVALS[entry.box] * DAY;
    this.state.cards[id] = entry;
    this.missed = this.missed.filter(function (other) { return other !== id; });
    if (!known) this.missed.push(id);
    this.save();
    this.next();
  };

  Drill.prototype.showStats = function (remaining) {
    var counts = [];
    for (var box = 1; box <= BOXES; box++) counts.push(0);
    var state = this.state.cards, seen = 0;
    var selected = this.selected();
    selected.forEach(function (card) {
      var entry = state[card.id];
      if (entry) { counts[entry.box - 1] += 1; seen += 1; }
    });
    this.stats.replaceChildren();
    this.stats.append(
      el("span", "guide-drill__remaining", remaining + " to review now"),
      document.createTextNode(" · " + selected.length + " cards, " + (selected.length - seen) + " new · "),
    );
    counts.forEach(function (count, i) {
      var span = el("span", "guide-drill__box", "Box " + (i + 1) + ": " + count);
      span.dataset.box = String(i + 1);
      this.stats.append(span, document.createTextNode(i + 1 < counts.length ? " · " : ""));
    }, this);
  };

  function slim(card) {
    return {
      id: card.id, front_html: card.front_html, back_html: card.back_html,
      category: card.category, tags: card.tags, url: card.url,
    };
  }

  function start(root) {
    var node = root.querySelector("#guide-drill");
    if (!node) return;
    fetch(node.dataset.src)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.json();
      })
      .then(function (deck) {
        save(DECK_KEY, { cards: deck.cards.map(slim) }); // what the drill needs, to stay small
        return deck;
      })
      .catch(function (error) {
        var deck = load(DECK_KEY, null); // offline: the copy saved on the last visit
        if (!deck) throw error;
        return deck;
      })
      .then(function (deck) { new Drill(node, deck); })
      .catch(function (error) {
        node.textContent = "The cards could not be loaded (" + error.message + "). Open this page once while online.";
      });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function (doc) { start(doc.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { start(document.body); });
  }
})();
