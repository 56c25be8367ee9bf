// The console's only script, for progressive enhancement: every page works without it.
// - Copy buttons (hidden until this script shows them) copy the text of the element they name.
// - The connection panel refreshes its figures every 10 s while the page is visible, for at most
//   10 minutes; the Refresh link does the same by hand.
(function () {
  'use strict';

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.className = 'skip';
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand('copy');
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error('copy refused')); }
    });
  }

  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var id = button.getAttribute('data-copy');
    var source = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!source) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      copyText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = 'Copied.'; }
      }, function () {
        if (status) { status.textContent = 'Copying failed: select the text and copy it by hand.'; }
      });
    });
  });

  var panel = document.querySelector('[data-poll]');
  if (!panel) { return; }
  var url = panel.getAttribute('data-poll');
  var polls = 0;
  var maxPolls = 60;
  var timer = null;

  function field(name) { return panel.querySelector('[data-field="' + name + '"]'); }

  function show(data) {
    field('lastRequest').textContent = data.lastRequest;
    field('lastRequest').setAttribute('datetime', data.lastRequestIso);
    field('requests').textContent = String(data.requests);
    field('failures').textContent = String(data.failures);
    field('failureRate').textContent = data.failureRate;
    field('threshold').textContent = data.threshold;
    field('atRisk').hidden = !data.atRisk;
    var list = field('errors');
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!data.errors.length) {
      var none = document.createElement('li');
      none.className = 'none';
      none.textContent = 'No errors in the last hour.';
      list.appendChild(none);
    }
    data.errors.forEach(function (e) {
      var item = document.createElement('li');
      var what = document.createElement('strong');
      what.textContent = e.what;
      item.appendChild(what);
      item.appendChild(document.createTextNode(' (' + e.count + '\u00d7): ' + (e.reason || '')));
      item.appendChild(document.createElement('br'));
      var action = document.createElement('span');
      action.className = 'action';
      action.textContent = 'Recommended action: ' + (e.recommendedAction || '');
      item.appendChild(action);
      list.appendChild(item);
    });
    field('live').textContent = 'Updated ' + new Date().toLocaleTimeString() + '.';
  }

  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
  }

  function poll() {
    if (document.visibilityState !== 'visible') { return; }
    if (++polls > maxPolls) {
      stop();
      field('live').textContent = 'Automatic refresh stopped; use Refresh.';
      return;
    }
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (reply) {
        if (!reply.ok) { throw new Error('HTTP ' + reply.status); }
        return reply.json();
      })
      .then(show)
      .catch(function () {
        stop();
        field('live').textContent = 'Automatic refresh stopped; use Refresh.';
      });
  }

  timer = setInterval(poll, 10000);
})();
