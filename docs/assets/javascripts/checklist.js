// Task lists that remember their ticks: every task list on the site is a
// checklist whose state lives in this browser's localStorage, keyed by page and
// item text, with a "done / total" count on the heading above each list.
(function () {
  var PREFIX = "guide-checklist:";

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage disabled: ticks last for the visit only
    }
  }

  function keyFor(item) {
    var text = item.textContent.replace(/\s+/g, " ").trim().toLowerCase();
    return PREFIX + location.pathname + ":" + text;
  }

  function headingFor(list) {
    for (var node = list.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[2-4]$/.test(node.tagName)) return node;
    }
    return null;
  }

  function updateCount(list) {
    var heading = headingFor(list);
    if (!heading) return;
    var boxes = list.querySelectorAll(":scope > li.task-list-item input[type=checkbox]");
    var done = 0;
    boxes.forEach(function (box) { if (box.checked) done += 1; });
    var badge = heading.querySelector(".guide-progress");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "guide-progress";
      var permalink = heading.querySelector(".headerlink");
      heading.insertBefore(badge, permalink);
    }
    badge.textContent = done + " / " + boxes.length;
    badge.classList.toggle("guide-progress--done", done === boxes.length);
  }

  function setUp(root) {
    var store = storage();
    root.querySelectorAll(".md-typeset ul.task-list").forEach(function (list) {
      list.querySelectorAll(":scope > li.task-list-item").forEach(function (item) {
        var box = item.querySelector("input[type=checkbox]");
        if (!box) return;
        var key = keyFor(item);
        box.disabled = false;
        if (store && store.getItem(key) !== null) box.checked = store.getItem(key) === "1";
        box.addEventListener("change", function () {
          if (store) store.setItem(key, box.checked ? "1" : "0");
          updateCount(list);
        });
      });
      updateCount(list);
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function (doc) { setUp(doc.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { setUp(document.body); });
  }
})();
