// The invitation page: the link's secret is in the fragment (#...), which no server sees.
// Move it into the form, take it out of the address bar and history, and continue.
(function () {
  "use strict";
  var form = document.querySelector("form[data-invitation]");
  var code = window.location.hash.slice(1);
  if (!form || !code) return;
  form.querySelector("input[name=token]").value = code;
  window.history.replaceState(null, "", window.location.pathname);
  form.submit();
})();
