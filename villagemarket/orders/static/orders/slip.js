// The packing slip's Print button (a static file: the Content-Security-Policy allows no inline handlers).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
