// The invitation page: the link's secret is in the fragment (#...), which no server sees.
// Move it into the form, take it out of the address bar and history, and continue.
// A second link opened in the same tab only changes the fragment, hence hashchange too.
(function () {
  "use strict";
  function takeCode() {
    var form = document.querySelector("form[data-invitation]");
    var code = window.location.hash.slice(1);
    if (!form || !code) return;
    form.querySelector("input[name=token]").value = code;
    window.history.replaceState(null, "", window.location.pathname);
    form.submit();
  }
  window.addEventListener("hashchange", takeCode);
  takeCode();
})();
