// Copy buttons: <button data-copy="ID"> copies the text of the element with that id (the
// OIT checklist's ITAS texts). A script file, not inline: the content security policy allows
// only the portal's own files.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) return;
  var text = "value" in source ? source.value : source.textContent;
  navigator.clipboard.writeText(text).then(function () {
    var done = button.getAttribute("data-copied");
    if (done) button.textContent = done;
  });
});
