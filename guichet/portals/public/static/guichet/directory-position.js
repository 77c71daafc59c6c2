// Progressive enhancement of the directory search: offers to search around the browser's position by filling
// the form's hidden lat/lon fields (messages come translated from the page's data attributes). Without JavaScript (or without geolocation) the commune search works alone.
(function () {
  "use strict";
  var form = document.getElementById("directory-search");
  var box = document.getElementById("directory-position");
  if (!form || !box || !("geolocation" in navigator)) {
    return;
  }
  var button = document.getElementById("directory-position-button");
  var status = document.getElementById("directory-position-status");
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = box.dataset.searching;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lon.value = position.coords.longitude.toFixed(5);
        form.elements.q.value = "";
        form.elements.commune.value = "";
        form.submit();
      },
      function () {
        status.textContent = box.dataset.unavailable;
      },
      { timeout: 10000, maximumAge: 600000 }
    );
  });
})();
