/* The statistics charts (Chart.js 4, vendored). Each canvas names the JSON script that holds
   its data: labels, one series per column, the figures as the table writes them (for the
   tooltips), the page's direction and the locale of its numbers. The table beside each
   chart is the accessible version; the canvas is an image with a spoken summary. */
(function () {
  "use strict";

  // Dark enough for 3:1 against white (WCAG 1.4.11) and apart from each other for the
  // common colour-vision deficiencies; line charts also differ by point shape and dash.
  var COLOURS = ["#0a58ca", "#b45309", "#047857", "#a21caf", "#475569", "#b91c1c"];
  var POINTS = ["circle", "rect", "triangle", "rectRot", "crossRot", "star"];
  var DASHES = [[], [6, 4], [2, 3], [8, 3, 2, 3], [1, 2], [10, 5]];

  function numberFormat(data, kind) {
    var places = data.decimals[kind] || 0;
    var format = new Intl.NumberFormat(data.locale, {
      maximumFractionDigits: places,
      minimumFractionDigits: 0,
    });
    return function (value) {
      return format.format(value) + (kind === "percent" ? data.percentSign : "");
    };
  }

  function dataset(series, index, line) {
    var colour = COLOURS[index % COLOURS.length];
    return {
      label: series.label,
      data: series.data,
      text: series.text,
      backgroundColor: colour,
      borderColor: colour,
      borderWidth: line ? 2 : 0,
      borderDash: line ? DASHES[index % DASHES.length] : [],
      pointStyle: POINTS[index % POINTS.length],
      pointRadius: line ? 3 : 0,
      spanGaps: false,
    };
  }

  function config(data) {
    var line = data.kind === "line";
    var stacked = data.kind === "stacked";
    var kind = data.datasets[0].kind;
    var tick = numberFormat(data, kind);
    var direction = data.rtl ? "rtl" : "ltr";
    // Bars run along the reading direction with their labels beside them (long labels
    // read whole); months run along the horizontal axis of a line chart.
    var values = {
      stacked: stacked,
      beginAtZero: true,
      ticks: {
        color: "#212529",
        precision: kind === "int" ? 0 : undefined,
        callback: function (value) {
          return tick(value);
        },
      },
    };
    var categories = { stacked: stacked, ticks: { color: "#212529", autoSkip: true } };
    var scales;
    if (line) {
      values.position = data.rtl ? "right" : "left";
      categories.reverse = data.rtl;
      categories.ticks.maxRotation = 0;
      scales = { x: categories, y: values };
    } else {
      values.reverse = data.rtl;
      categories.position = data.rtl ? "right" : "left";
      categories.ticks.autoSkip = false;
      scales = { x: values, y: categories };
    }
    return {
      type: line ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (series, index) {
          return dataset(series, index, line);
        }),
      },
      options: {
        indexAxis: line ? "x" : "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: data.locale,
        plugins: {
          legend: {
            display: data.datasets.length > 1,
            rtl: data.rtl,
            textDirection: direction,
            labels: { usePointStyle: line, color: "#212529" },
          },
          tooltip: {
            rtl: data.rtl,
            textDirection: direction,
            callbacks: {
              label: function (context) {
                var text = context.dataset.text[context.dataIndex];
                return context.dataset.label + ": " + text;
              },
            },
          },
        },
        scales: scales,
      },
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    new window.Chart(canvas, config(data));
    canvas.dataset.drawn = "true";
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
