// Filters for the public listing. Every filter is a <select data-filter="NAME">
// in a <form data-filter-target="LIST-ID" data-filter-status="STATUS-ID">. An
// element with data-filter-item stays visible when, for every filter set, its
// data-NAME attribute (space-separated values) contains the selected value.
// A data-filter-group element is hidden when it has no visible item. The script
// reads only the page itself, so the site works from a folder, without a server.
(function () {
  "use strict";

  function listValues(element, name) {
    var value = element.getAttribute("data-" + name) || "";
    return value.split(" ").filter(function (part) { return part !== ""; });
  }

  function setUpFilter(form) {
    var list = document.getElementById(form.getAttribute("data-filter-target"));
    var status = document.getElementById(form.getAttribute("data-filter-status"));
    if (!list || !status) {
      return;
    }
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-filter-item]"));
    var groups = Array.prototype.slice.call(list.querySelectorAll("[data-filter-group]"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));

    function isShown(item) {
      return selects.every(function (select) {
        return select.value === "" ||
          listValues(item, select.getAttribute("data-filter")).indexOf(select.value) !== -1;
      });
    }

    function applyFilters() {
      var shown = 0;
      items.forEach(function (item) {
        var visible = isShown(item);
        item.hidden = !visible;
        if (visible) {
          shown += 1;
        }
      });
      groups.forEach(function (group) {
        group.hidden = group.querySelector("[data-filter-item]:not([hidden])") === null;
      });
      var text = shown === 0 ? status.getAttribute("data-empty-text") : status.getAttribute("data-count-text");
      status.textContent = text.replace("{shown}", String(shown)).replace("{total}", String(items.length));
    }

    selects.forEach(function (select) {
      select.addEventListener("change", applyFilters);
    });
    // The reset event fires before the controls take their default values.
    form.addEventListener("reset", function () {
      window.setTimeout(applyFilters, 0);
    });
    status.setAttribute("aria-live", "polite");
    form.hidden = false;
    applyFilters();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-filter-target]"), setUpFilter);
}());
