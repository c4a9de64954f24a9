// The "Print" button of a request page. A file, not an inline handler: the Content-Security-Policy forbids inline script.
(function () {
  if (window.sotPrintBound) {
    return;
  }
  window.sotPrintBound = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print-page]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
