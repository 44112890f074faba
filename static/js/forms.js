/* Trackii's only script of its own (htmx aside); every page works without it.

   After a refused submit the form's error summary takes the focus. The summary's autofocus attribute does
   that without JavaScript, except where it cannot: an address with a #fragment (the browser keeps its place
   at the fragment instead) and a form htmx swapped into the page. A link in the summary moves the focus to
   its field, with the field's label in view, not only the view to the field. */
(function () {
  "use strict";

  function focusSummary(root) {
    var summary = root && root.querySelector ? root.querySelector("[data-error-summary]") : null;
    if (summary && !summary.contains(document.activeElement)) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusSummary(document);
  });

  // Only inside what was swapped: the progress regions and the draft's preview swap too, and must never
  // move the focus.
  document.addEventListener("htmx:afterSettle", function (event) {
    focusSummary(event.detail && event.detail.elt);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = field.labels && field.labels.length ? field.labels[0] : field.closest("fieldset");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
