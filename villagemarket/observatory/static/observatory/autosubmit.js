// Choosing a year reloads the page for it (a static file: the Content-Security-Policy allows no
// inline handlers). Without JavaScript the form's Show button does the same.
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
