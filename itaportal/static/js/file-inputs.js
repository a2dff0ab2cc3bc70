// File inputs in the page's language: the browser writes "Choose File / No file chosen" in its
// own (an English Chromium on an office PC). Each <input type="file"> gets a button and the chosen
// file's name in the words the page gives (data-file-choose, data-file-none on <body>); the
// input stays in the tab order and opens the file dialog with Space or Enter, as before.
(function () {
  var body = document.body;
  var choose = body.getAttribute("data-file-choose");
  var none = body.getAttribute("data-file-none");
  if (!choose) return;
  document.querySelectorAll('input[type="file"]').forEach(function (input, n) {
    if (!input.id) input.id = "file-input-" + n;
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "btn btn-outline-secondary btn-sm file-pick";
    label.textContent = choose;
    var name = document.createElement("span");
    name.className = "file-name small text-body-secondary ms-2";
    name.setAttribute("aria-live", "polite");
    name.textContent = none;
    input.classList.add("file-native");
    input.insertAdjacentElement("afterend", name);
    input.insertAdjacentElement("afterend", label);
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      name.textContent = names.length ? names.join(", ") : none;
    });
  });
})();
