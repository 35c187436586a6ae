// Samverka: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Week grid: drag across hour cells with a mouse or pen to mark or clear many at once.
  // Touch keeps native scrolling; a tap toggles one cell, as the checkbox does by itself.
  function enhanceWeekGrid(grid) {
    var painting = null; // true: marking free; false: clearing
    var pointerToggled = false; // the click after a mouse press must not toggle again

    function boxAt(x, y) {
      var el = document.elementFromPoint(x, y);
      var cell = el && el.closest ? el.closest(".cell") : null;
      return cell && grid.contains(cell) ? cell.querySelector("input") : null;
    }

    grid.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "touch" || event.button !== 0) return;
      var box = boxAt(event.clientX, event.clientY);
      if (!box) return;
      painting = !box.checked;
      box.checked = painting;
      pointerToggled = true;
      event.preventDefault();
      box.focus({ preventScroll: true });
    });

    grid.addEventListener("pointermove", function (event) {
      if (painting === null) return;
      var box = boxAt(event.clientX, event.clientY);
      if (box && box.checked !== painting) box.checked = painting;
    });

    document.addEventListener("pointerup", function () {
      painting = null;
      setTimeout(function () { pointerToggled = false; }, 0);
    });
    document.addEventListener("pointercancel", function () { painting = null; pointerToggled = false; });

    grid.addEventListener("click", function (event) {
      if (pointerToggled && event.target.matches(".cell input")) event.preventDefault();
      pointerToggled = false;
    });

    var clear = grid.closest("form").querySelector("[data-clear-grid]");
    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () {
        grid.querySelectorAll(".cell input").forEach(function (box) { box.checked = false; });
      });
    }
  }

  // Skill picker: a ticked search result moves up into the chosen list, so a new search keeps it.
  function enhanceSkillPicker(picker) {
    var chosen = picker.querySelector(".chips");
    picker.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches(".results input[type=checkbox]") || !box.checked) return;
      var label = box.closest("label");
      var item = document.createElement("li");
      label.className = "chip";
      item.appendChild(label);
      chosen.appendChild(item);
      var none = picker.querySelector("[id$='-none']");
      if (none) none.hidden = true;
      var results = box.closest(".results");
      if (results && !results.querySelector("li label")) {
        results.querySelectorAll("li").forEach(function (li) { if (!li.children.length) li.remove(); });
      }
      box.focus();
    });
  }

  // Copy buttons: a read-only field's text to the clipboard, said aloud by a status line.
  function enhanceCopy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var said = document.querySelector("[data-copied='" + button.getAttribute("data-copy") + "']");
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () { if (said) said.hidden = false; });
    });
  }

  // The main menu folds behind a button on narrow screens, so it never wraps awkwardly.
  function enhanceMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("main-nav");
    if (!toggle || !nav) return;
    document.documentElement.classList.add("js");
    nav.classList.add("collapsed");
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("collapsed") === false;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function start() {
    enhanceMenu();
    document.querySelectorAll("[data-copy]").forEach(enhanceCopy);
    document.querySelectorAll("[data-week-grid]").forEach(enhanceWeekGrid);
    document.querySelectorAll(".skill-picker").forEach(enhanceSkillPicker);
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
