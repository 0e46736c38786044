// The cart's forms change it in place: the form is sent in the background, and the cart and the
// header's link are swapped for the page the server answers with. Without JavaScript the same
// forms post and come back to the cart. An error summary takes the focus when a page opens.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  }
  function swap(id, fresh) {
    var old = document.getElementById(id);
    var next = fresh.getElementById(id);
    if (old && next) old.replaceWith(next);
    else if (old && !next) old.remove();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-cart-form]");
    if (!form || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    var focused = document.activeElement && document.activeElement.id;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        if (!fresh.getElementById("cart")) { form.submit(); return; }
        swap("cart", fresh);
        swap("cart-link", fresh);
        var target = (focused && document.getElementById(focused)) || document.querySelector("[data-focus-on-load]") || document.getElementById("cart");
        if (target) { if (!target.hasAttribute("tabindex") && target.id === "cart") target.setAttribute("tabindex", "-1"); target.focus(); }
      })
      .catch(function () { form.submit(); });
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusSummary);
  else focusSummary();
})();
