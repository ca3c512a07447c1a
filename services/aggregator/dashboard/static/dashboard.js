// Draws each chart of the page with plotly.js from the figure the server embedded as JSON;
// a click on a unit's bar opens the page one level down. Empty filters leave the URL.
"use strict";
(function () {
  function draw() {
    document.querySelectorAll(".chart[data-figure]").forEach(function (element) {
      var figure = JSON.parse(document.getElementById(element.dataset.figure).textContent);
      var config = { displaylogo: false, responsive: true };
      window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
        element.dataset.drawn = "true";
      });
      element.on("plotly_click", function (event) {
        var link = event.points.length && event.points[0].customdata;
        if (link) window.location.assign(link);
      });
    });
    document.body.dataset.chartsDrawn = "true";
  }
  var filters = document.getElementById("filters");
  if (filters) {
    filters.addEventListener("submit", function () {
      filters.querySelectorAll("input, select").forEach(function (field) {
        if (!field.value) field.disabled = true;
      });
    });
  }
  if (window.Plotly) draw();
  else window.addEventListener("load", draw);
})();
