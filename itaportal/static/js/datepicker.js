// A calendar beside every date box (<input data-date-picker>, itaportal/forms.py ThaiDateInput):
// Thai month names, Buddhist-era years, the digits the box asks for (data-digits="arabic", else
// Thai). It opens from its button; arrows move a day or a week, Page Up/Down a month, Enter
// writes the day into the box as "๑๕ พ.ย. ๒๕๖๙", Esc closes. The server reads the box
// (itaportal.thai.parse_date); without this script the box is typed into as it is.
(function () {
  "use strict";
  // As itaportal/thai.py writes them (SHORT_MONTHS, FULL_MONTHS, BE_OFFSET).
  var SHORT = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
               "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];
  var FULL = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
              "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var WEEKDAYS = ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"];
  var BE_OFFSET = 543;
  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  function inDigits(text, thai) {
    text = String(text);
    return thai ? text.replace(/[0-9]/g, function (d) { return THAI_DIGITS[d]; }) : text;
  }

  function arabic(text) {
    return text.replace(/[๐-๙]/g, function (d) { return String(THAI_DIGITS.indexOf(d)); });
  }

  function day(year, month, date) {
    return new Date(year, month, date, 12);  // noon: no daylight-saving edge moves the day
  }

  function ce(year) {
    return year >= 2400 ? year - BE_OFFSET : year;
  }

  // Where the calendar opens: the box's day when it holds one the calendar can read, else today.
  function read(text) {
    var t = arabic(text).replace(/\s+/g, " ").trim();
    var m;
    if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) return day(ce(+m[1]), m[2] - 1, +m[3]);
    if ((m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(t))) {
      return day(ce(+m[3]), m[2] - 1, +m[1]);
    }
    if ((m = /^(\d{1,2}) ?(.+?) ?(\d{4})$/.exec(t))) {
      var name = m[2].replace(/พ\.? ?ศ\.?$/, "").replace(/[.\s]/g, "");
      for (var i = 0; i < 12; i++) {
        if (name === SHORT[i].replace(/\./g, "") || name === FULL[i]) {
          return day(ce(+m[3]), i, +m[1]);
        }
      }
    }
    return null;
  }

  function write(date, thai) {
    return inDigits(date.getDate() + " " + SHORT[date.getMonth()] + " " +
                    (date.getFullYear() + BE_OFFSET), thai);
  }

  function same(a, b) {
    return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() &&
      a.getDate() === b.getDate();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function attach(input) {
    var thai = input.getAttribute("data-digits") !== "arabic";
    var label = input.getAttribute("data-picker-label") || "เปิดปฏิทิน";
    // The box and its button side by side; an error below the box stays shown (Bootstrap shows
    // .invalid-feedback only after an .is-invalid sibling).
    var group = element("div", "input-group has-validation date-picker-group");
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    var button = element("button", "btn btn-outline-secondary date-picker-button");
    button.type = "button";
    button.setAttribute("aria-label", label);
    button.setAttribute("title", label);
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    button.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">' +
      '<rect x="1.5" y="3" width="13" height="11.5" rx="1.5" fill="none" stroke="currentColor"/>' +
      '<path d="M1.5 6.5h13M5 1.5v3M11 1.5v3" stroke="currentColor"/></svg>';
    group.appendChild(button);
    var next = group.nextElementSibling;
    while (next && next.classList.contains("invalid-feedback")) {
      var after = next.nextElementSibling;
      group.appendChild(next);
      next = after;
    }

    var panel = null;
    var shown = null;   // the first day of the month on show
    var active = null;  // the day the keyboard is on

    function close(focusButton) {
      if (!panel) return;
      panel.remove();
      panel = null;
      button.setAttribute("aria-expanded", "false");
      document.removeEventListener("mousedown", outside, true);
      window.removeEventListener("resize", place);
      if (focusButton) button.focus();
    }

    function outside(event) {
      if (panel && !panel.contains(event.target) && event.target !== button &&
          !button.contains(event.target)) {
        close(false);
      }
    }

    // On the page itself, under the box: a form row that hides what overflows it (the admin's)
    // would cut the calendar off. Kept inside the window's width on a phone.
    function place() {
      var box = group.getBoundingClientRect();
      panel.style.top = (box.bottom + window.scrollY) + "px";
      panel.style.left = (box.left + window.scrollX) + "px";
      var over = panel.getBoundingClientRect().right - document.documentElement.clientWidth + 8;
      if (over > 0) panel.style.left = Math.max(0, box.left + window.scrollX - over) + "px";
    }

    function pick(date) {
      input.value = write(date, thai);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close(false);
      input.focus();
    }

    function draw(focus) {
      panel.textContent = "";
      var head = element("div", "date-picker-head");
      var previous = element("button", "btn btn-sm btn-light", "‹");
      previous.type = "button";
      previous.setAttribute("aria-label", "เดือนก่อน");
      previous.setAttribute("data-move", "-1");
      var following = element("button", "btn btn-sm btn-light", "›");
      following.type = "button";
      following.setAttribute("aria-label", "เดือนถัดไป");
      following.setAttribute("data-move", "1");
      var title = element("div", "date-picker-title",
        FULL[shown.getMonth()] + " " + inDigits(shown.getFullYear() + BE_OFFSET, thai));
      title.id = (input.id || input.name) + "-picker-title";
      title.setAttribute("aria-live", "polite");
      head.appendChild(previous);
      head.appendChild(title);
      head.appendChild(following);
      panel.appendChild(head);
      panel.setAttribute("aria-labelledby", title.id);

      var table = element("table", "date-picker-grid");
      table.setAttribute("role", "grid");
      var row = element("tr");
      WEEKDAYS.forEach(function (name) {
        var th = element("th", "", name);
        th.setAttribute("scope", "col");
        row.appendChild(th);
      });
      var thead = element("thead");
      thead.appendChild(row);
      table.appendChild(thead);
      var body = element("tbody");
      var chosen = read(input.value);
      var today = new Date();
      var cursor = day(shown.getFullYear(), shown.getMonth(), 1 - shown.getDay());
      for (var week = 0; week < 6; week++) {
        row = element("tr");
        for (var d = 0; d < 7; d++) {
          var cell = element("td");
          var inMonth = cursor.getMonth() === shown.getMonth();
          if (inMonth) {
            var b = element("button", "date-picker-day", inDigits(cursor.getDate(), thai));
            b.type = "button";
            b.tabIndex = same(cursor, active) ? 0 : -1;
            b.setAttribute("data-day", cursor.getDate());
            b.setAttribute("aria-label", write(cursor, thai));
            if (same(cursor, chosen)) {
              b.classList.add("selected");
              b.setAttribute("aria-selected", "true");
            }
            if (same(cursor, today)) {
              b.classList.add("today");
              b.setAttribute("aria-current", "date");
            }
            cell.appendChild(b);
          }
          row.appendChild(cell);
          cursor = day(cursor.getFullYear(), cursor.getMonth(), cursor.getDate() + 1);
        }
        body.appendChild(row);
        if (cursor.getMonth() !== shown.getMonth()) break;
      }
      table.appendChild(body);
      panel.appendChild(table);
      if (focus) {
        var current = panel.querySelector(".date-picker-day[tabindex='0']");
        if (current) current.focus();
      }
    }

    function moveTo(date, focus) {
      active = date;
      shown = day(date.getFullYear(), date.getMonth(), 1);
      draw(focus);
    }

    function open() {
      var start = read(input.value) || new Date();
      panel = element("div", "date-picker");
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-modal", "false");
      document.body.appendChild(panel);
      place();
      button.setAttribute("aria-expanded", "true");
      moveTo(day(start.getFullYear(), start.getMonth(), start.getDate()), true);
      document.addEventListener("mousedown", outside, true);
      window.addEventListener("resize", place);

      panel.addEventListener("click", function (event) {
        var target = event.target.closest("button");
        if (!target) return;
        if (target.hasAttribute("data-move")) {
          var months = +target.getAttribute("data-move");
          var last = day(shown.getFullYear(), shown.getMonth() + months + 1, 0).getDate();
          moveTo(day(shown.getFullYear(), shown.getMonth() + months,
                     Math.min(active.getDate(), last)), false);
          panel.querySelector("[data-move='" + months + "']").focus();
        } else if (target.hasAttribute("data-day")) {
          pick(day(shown.getFullYear(), shown.getMonth(), +target.getAttribute("data-day")));
        }
      });
      panel.addEventListener("keydown", function (event) {
        var steps = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
        if (event.key === "Escape") {
          event.preventDefault();
          close(true);
        } else if (event.key in steps && event.target.classList.contains("date-picker-day")) {
          event.preventDefault();
          moveTo(day(active.getFullYear(), active.getMonth(),
                     active.getDate() + steps[event.key]), true);
        } else if (event.key === "PageUp" || event.key === "PageDown") {
          event.preventDefault();
          var by = event.key === "PageUp" ? -1 : 1;
          var last = day(active.getFullYear(), active.getMonth() + by + 1, 0).getDate();
          moveTo(day(active.getFullYear(), active.getMonth() + by,
                     Math.min(active.getDate(), last)), true);
        } else if (event.key === "Enter" && event.target.classList.contains("date-picker-day")) {
          event.preventDefault();
          pick(active);
        }
      });
      panel.addEventListener("focusout", function (event) {
        if (panel && event.relatedTarget && !panel.contains(event.relatedTarget) &&
            event.relatedTarget !== button) {
          close(false);
        }
      });
    }

    button.addEventListener("click", function () {
      if (panel) close(true); else open();
    });
  }

  function start() {
    document.querySelectorAll("input[data-date-picker]").forEach(function (input) {
      // The admin's hidden row that "add another" copies gets its calendar once copied.
      if (!input.closest(".date-picker-group") && input.name.indexOf("__prefix__") < 0) {
        attach(input);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  document.addEventListener("formset:added", start);
})();
