// The visitor's chat (R10.1, R10.5): the quick exit, messages in real time over server-sent events
// (resumed by sequence number, so nothing is lost or shown twice), and sending without a reload.
// Every text comes from the page; every message is shown with textContent, never as HTML.
(function () {
  'use strict';

  var stream = null;

  // ---- quick exit: end the chat, empty the page, leave a neutral history entry, go elsewhere ----
  var exitForm = document.getElementById('chat-quick-exit');
  function leave() {
    var target = (exitForm && exitForm.getAttribute('data-neutral-url')) || 'https://www.google.se';
    try {
      var data = new FormData(exitForm);
      data.set('beacon', '1');
      var queued = navigator.sendBeacon && navigator.sendBeacon('/chatt/snabbavslut', data);
      if (!queued) fetch('/chatt/snabbavslut', { method: 'POST', body: data, keepalive: true, credentials: 'same-origin' }).catch(function () {});
    } catch (e) {
      // Leaving matters more than telling the server: the chat also closes when the visitor stays silent.
    }
    if (stream) stream.close();
    document.title = '';
    document.body.replaceChildren();
    try {
      history.replaceState(null, '', '/');
    } catch (e) {
      /* leave anyway */
    }
    location.replace(target);
  }
  if (exitForm) {
    exitForm.addEventListener('submit', function (event) {
      event.preventDefault();
      leave();
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' || event.key === 'Esc') leave();
    });
  }

  // ---- the conversation ----
  var log = document.getElementById('chat-log');
  if (!log) return;
  var form = document.getElementById('chatt-skriv');
  var textarea = document.getElementById('f-body');
  var field = document.getElementById('chat-field');
  var errorBox = document.getElementById('f-body-error');
  var errorText = document.getElementById('f-body-error-text');
  var sendState = document.getElementById('chat-send-state');
  var statusBox = document.getElementById('chat-status');
  var connection = document.getElementById('chat-connection');
  var emptyNote = document.getElementById('chat-empty');
  var closedBox = document.getElementById('chat-closed');
  var closedText = document.getElementById('chat-closed-text');
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var max = Number(textarea.getAttribute('maxlength')) || 2000;

  /** The highest sequence number the stream (or the page) delivered: where a new stream resumes. */
  var streamSeq = Number(log.getAttribute('data-last-seq')) || 0;
  var seen = {};
  Array.prototype.forEach.call(log.querySelectorAll('li[data-seq]'), function (li) {
    seen[li.getAttribute('data-seq')] = true;
  });
  var closed = statusBox.getAttribute('data-status') === 'closed';

  function whoLabel(sender) {
    return log.getAttribute('data-who-' + sender) || sender;
  }

  function addMessage(m) {
    if (!m || typeof m.seq !== 'number' || seen[m.seq]) return;
    seen[m.seq] = true;
    var li = document.createElement('li');
    li.className = 'chat-msg chat-msg-' + (m.sender === 'visitor' || m.sender === 'counsellor' ? m.sender : 'system');
    li.setAttribute('data-seq', String(m.seq));
    var meta = document.createElement('span');
    meta.className = 'chat-msg-meta';
    var who = document.createElement('span');
    who.className = 'chat-msg-who';
    who.textContent = whoLabel(m.sender);
    var time = document.createElement('time');
    time.className = 'chat-msg-time';
    time.textContent = String(m.time || '');
    meta.append(who, ' ', time);
    var body = document.createElement('p');
    body.className = 'chat-msg-body';
    body.textContent = String(m.body);
    li.append(meta, body);
    // In sequence order, whichever way a message arrived first (the stream or the send's answer).
    var before = null;
    for (var i = 0; i < log.children.length; i++) {
      if (Number(log.children[i].getAttribute('data-seq')) > m.seq) {
        before = log.children[i];
        break;
      }
    }
    log.insertBefore(li, before);
    log.hidden = false;
    emptyNote.hidden = true;
    log.scrollTop = log.scrollHeight;
  }

  function showStatus(s) {
    statusBox.setAttribute('data-status', s.status);
    statusBox.replaceChildren.apply(
      statusBox,
      (s.lines || []).map(function (line) {
        var p = document.createElement('p');
        p.textContent = line;
        return p;
      }),
    );
    if (s.status === 'closed') {
      closed = true;
      closedText.textContent = (s.lines || []).join(' ');
      closedBox.hidden = false;
      form.hidden = true;
    }
  }

  // ---- the event stream ----
  var retryTimer = null;
  function connect() {
    clearTimeout(retryTimer);
    if (stream) stream.close();
    if (closed) return;
    var es = new EventSource('/chatt/handelser?after=' + streamSeq);
    stream = es;
    es.addEventListener('open', function () {
      connection.hidden = true;
    });
    es.addEventListener('message', function (event) {
      var m = JSON.parse(event.data);
      if (m.seq > streamSeq) streamSeq = m.seq;
      addMessage(m);
    });
    es.addEventListener('status', function (event) {
      var s = JSON.parse(event.data);
      showStatus(s);
      if (s.status === 'closed') es.close();
    });
    es.addEventListener('error', function () {
      if (closed || stream !== es) return;
      connection.textContent = connection.getAttribute('data-reconnecting');
      connection.hidden = false;
      // The browser retries a dropped stream by itself (with Last-Event-ID); a refused one it gives up on.
      if (es.readyState === EventSource.CLOSED) retryTimer = setTimeout(connect, 3000);
    });
  }
  window.addEventListener('online', function () {
    if (!closed && (!stream || stream.readyState !== EventSource.OPEN)) connect();
  });
  connect();

  // ---- sending ----
  function showError(text) {
    errorText.textContent = text;
    errorBox.hidden = false;
    field.classList.add('field-error');
    textarea.setAttribute('aria-invalid', 'true');
    textarea.focus();
  }
  function clearError() {
    errorBox.hidden = true;
    errorText.textContent = '';
    field.classList.remove('field-error');
    textarea.removeAttribute('aria-invalid');
  }
  function newClientKey() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  var sending = false;
  function send(body, clientKey, attempt) {
    sending = true;
    sendState.textContent = attempt ? form.getAttribute('data-retrying') : form.getAttribute('data-sending');
    var data = new URLSearchParams();
    data.set('_csrf', csrf);
    data.set('body', body);
    data.set('clientKey', clientKey);
    fetch('/chatt/meddelande', { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        return res.json().then(
          function (json) { return { res: res, json: json }; },
          function () { return { res: res, json: null }; },
        );
      })
      .then(function (answer) {
        sending = false;
        sendState.textContent = '';
        if (answer.res.ok && answer.json && answer.json.ok) {
          if (textarea.value.trim() === body) textarea.value = '';
          clearError();
          addMessage(answer.json.message);
          return;
        }
        var error = answer.json && answer.json.error;
        showError((error && error.message) || form.getAttribute('data-send-failed'));
      })
      .catch(function () {
        // No answer (offline, dropped): send again with the same key, so it is stored once.
        if (attempt >= 30) {
          sending = false;
          sendState.textContent = '';
          showError(form.getAttribute('data-send-failed'));
          return;
        }
        sendState.textContent = form.getAttribute('data-retrying');
        setTimeout(function () { send(body, clientKey, attempt + 1); }, Math.min(1000 * Math.pow(2, attempt), 8000));
      });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (sending || closed) return;
    var body = textarea.value.trim();
    if (!body) return showError(form.getAttribute('data-empty'));
    if (body.length > max) return showError(form.getAttribute('data-too-long'));
    clearError();
    send(body, newClientKey(), 0);
  });
  // Enter sends, Shift+Enter makes a new line.
  textarea.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
