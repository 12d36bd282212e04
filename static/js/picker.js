// The person picker: suggestions from the search endpoint while typing (the form also works
// without this script: the server resolves what was typed or lists the matches to choose from).
// Keyboard: arrows move through the list, Enter chooses, Escape closes.
(function () {
  "use strict";

  function setUp(box) {
    if (box.dataset.pickerReady) return;
    box.dataset.pickerReady = "1";
    var input = box.querySelector('input[role="combobox"]');
    var hidden = box.querySelector("input[data-picker-id]");
    var list = box.querySelector('[role="listbox"]');
    var status = box.querySelector('[role="status"]');
    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll('[role="option"]');
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var person = results[index];
      if (!person) return;
      input.value = person.label;
      hidden.value = String(person.id);
      var matches = box.querySelector(".picker-matches");
      if (matches) matches.remove();
      status.textContent = person.label;
      close();
    }

    function show(data) {
      results = data.results;
      list.textContent = "";
      results.forEach(function (person, i) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "picker-name";
        name.textContent = person.name;
        var detail = document.createElement("span");
        detail.className = "picker-detail";
        detail.textContent = [person.team, person.email].filter(Boolean).join(" · ");
        li.appendChild(name);
        li.appendChild(detail);
        // mousedown, not click: choose before the input loses focus and closes the list.
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "picker-none";
        none.textContent = box.dataset.none;
        list.appendChild(none);
      } else if (data.more) {
        var more = document.createElement("li");
        more.className = "picker-none";
        more.textContent = box.dataset.more;
        list.appendChild(more);
      }
      status.textContent = results.length ? "" : box.dataset.none;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(results.length ? 0 : -1);
    }

    function ask() {
      var text = input.value.trim();
      if (!text) { close(); return; }
      var ticket = ++asked;
      var url = box.dataset.search + "&q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && ticket === asked) show(data); })
        .catch(function () { /* the form still works: the server resolves the text */ });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden && results.length;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (!open) { ask(); return; }
        highlight(Math.min(active + 1, results.length - 1));
      } else if (e.key === "ArrowUp" && open) {
        e.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (e.key === "Enter" && open && active >= 0) {
        e.preventDefault();
        choose(active);
      } else if (e.key === "Escape" && !list.hidden) {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function start() {
    document.querySelectorAll("[data-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
