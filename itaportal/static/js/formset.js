// "Add a row" and "Remove" for a Django formset laid out as a table (the committee's members).
// The table says its prefix, <table data-formset="members" data-formset-template="ID">, where ID
// is a <template> holding the formset's empty form (its "__prefix__" becomes the row's number); a
// button [data-formset-add="members"] adds a row and each row's [data-formset-remove] button
// ticks the row's delete box and hides the row. Without JavaScript the buttons stay hidden and
// the formset's empty rows and delete boxes do the same. A script file, not inline: the content
// security policy allows only the portal's own files.
(function () {
  function enhance(row) {
    row.querySelectorAll("[data-formset-remove]").forEach(function (button) {
      button.hidden = false;
    });
    row.querySelectorAll('input[type="checkbox"][name$="-DELETE"]').forEach(function (box) {
      box.hidden = true;
      var label = box.labels && box.labels[0];
      if (label) label.hidden = true;
      if (box.checked) remove(row); // removed before a refused save: still removed
    });
  }

  function remove(row) {
    var box = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    if (box) box.checked = true;
    row.hidden = true;
    var errors = row.nextElementSibling; // the row's own errors, shown under it
    if (errors && errors.hasAttribute("data-row-errors")) errors.hidden = true;
  }

  document.querySelectorAll("table[data-formset]").forEach(function (table) {
    var prefix = table.getAttribute("data-formset");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var most = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById(table.getAttribute("data-formset-template"));
    var add = document.querySelector('[data-formset-add="' + prefix + '"]');
    var body = table.tBodies[0];
    if (!total || !template || !add || !body) return;
    Array.prototype.forEach.call(body.rows, enhance);
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (most && index >= parseInt(most.value, 10)) return;
      body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      var row = body.rows[body.rows.length - 1];
      enhance(row);
      var first = row.querySelector("select, input:not([type=hidden])");
      if (first) first.focus();
    });
    table.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      if (button) remove(button.closest("tr"));
    });
  });
})();
