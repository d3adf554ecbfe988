/*
 * Statistics pages: draws each chart FROM the table that carries its data (docs/adr/0150). The table
 * stays the accessible alternative and the whole page without JavaScript; this script only adds a
 * picture. Reads `data-chart` blocks: header cells flagged `data-series` become datasets (colour in
 * `data-color`), each body row a bar, its value in the cell's `data-value`. A long table wrapped in
 * an open <details> is folded once its chart is drawn. Loaded after chart.umd.min.js (global Chart).
 */
(function () {
  'use strict';
  var Chart = window.Chart;
  if (typeof Chart !== 'function') return;
  var font = { family: 'Marianne, arial, sans-serif', size: 13 };
  var grey = '#3a3a3a';
  Chart.defaults.font = font;
  Chart.defaults.color = grey;

  document.querySelectorAll('[data-chart]').forEach(function (block) {
    var table = block.querySelector('table');
    if (table === null) return;
    var kind = block.getAttribute('data-chart');
    var horizontal = block.getAttribute('data-horizontal') === 'true';
    var heads = Array.prototype.slice.call(table.querySelectorAll('thead th')).slice(1);
    var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
    if (rows.length === 0) return;
    var labels = rows.map(function (row) {
      var th = row.querySelector('th');
      return th === null ? '' : th.textContent.trim();
    });
    var datasets = [];
    heads.forEach(function (th, column) {
      if (th.getAttribute('data-series') !== 'true') return;
      datasets.push({
        label: th.textContent.trim(),
        backgroundColor: th.getAttribute('data-color') || '#000091',
        data: rows.map(function (row) {
          var cell = row.querySelectorAll('td')[column];
          return cell === undefined ? 0 : Number(cell.getAttribute('data-value'));
        }),
      });
    });
    var stacked = kind === 'stacked';
    var caption = table.querySelector('caption');
    var canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Graphique : ' + (caption === null ? '' : caption.textContent.trim()) + '. Les mêmes données figurent dans le tableau qui suit.');
    var frame = document.createElement('div');
    frame.className = 'portal-chart fr-mb-2w';
    frame.appendChild(canvas);
    block.insertBefore(frame, block.firstChild);
    var width = block.clientWidth || 800;
    var height = horizontal ? Math.max(160, rows.length * 28 + 60) : 320;
    var valueAxis = { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } };
    var labelAxis = { stacked: stacked, ticks: { autoSkip: true, maxRotation: 0 } };
    new Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        aspectRatio: width / height,
        animation: false,
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: { legend: { position: 'bottom', display: datasets.length > 1 } },
      },
    });
    var fold = block.querySelector('details[data-fold]');
    if (fold !== null) fold.removeAttribute('open');
  });
})();
