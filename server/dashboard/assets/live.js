// Keeps the page current while someone watches: every few seconds the server renders the same page again and
// only <main> is swapped, unless the person is typing in it or the tab is hidden.
(function () {
  var INTERVAL_MS = 5000;
  var main = document.getElementById('live');
  var status = document.getElementById('live-status');
  if (!main) return;
  function busy() {
    var active = document.activeElement;
    return document.hidden || (active && main.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
  }
  function refresh() {
    if (busy()) return;
    fetch(location.href, { headers: { 'X-Live-Fragment': '1' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (response) {
        if (response.status === 401) {
          location.reload();
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) {
          if (status) status.textContent = 'not updating';
          return;
        }
        if (html !== main.innerHTML && !busy()) main.innerHTML = html;
        if (status) status.textContent = 'updated ' + new Date().toLocaleTimeString();
      })
      .catch(function () {
        if (status) status.textContent = 'offline';
      });
  }
  setInterval(refresh, INTERVAL_MS);
})();
