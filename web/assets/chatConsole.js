// The counsellor's console in the browser (R10.3, R10.5): live messages over Server-Sent Events,
// sending without reloading (a retried send reuses its key, so it is stored once), prepared texts
// into the reply box, and confirmation dialogs. Messages are always inserted as text, never as HTML.
// Everything here is an enhancement: without it the forms post and the pages still work.
(function () {
  'use strict';

  function randomKey() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  // ---- confirmations: one dialog instead of the confirmation page ------------------------------
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || form.querySelector('input[name="confirm"]')) return;
    var question = form.dataset.confirm;
    var selectName = form.dataset.confirmSelect;
    if (selectName) {
      var select = form.elements.namedItem(selectName);
      if (!select || !select.value) return; // the server explains what is missing
      question = question.replace('{colleague}', select.options[select.selectedIndex].text);
    }
    if (!window.confirm(question)) {
      event.preventDefault();
      return;
    }
    var confirmed = document.createElement('input');
    confirmed.type = 'hidden';
    confirmed.name = 'confirm';
    confirmed.value = 'yes';
    form.appendChild(confirmed);
  });

  // A page restored from the back/forward cache must ask again.
  window.addEventListener('pageshow', function () {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-confirm] input[name="confirm"]'), function (i) { i.remove(); });
  });

  var root = document.querySelector('.console[data-events]');
  if (!root) return;
  var texts = {};
  try { texts = JSON.parse(root.dataset.texts || '{}'); } catch (e) { texts = {}; }
  var lang = root.dataset.lang === 'en' ? 'en-GB' : 'sv-SE';
  var baseTitle = document.title;
  var thread = document.getElementById('thread');
  var statusLine = document.getElementById('chat-status');
  var form = document.getElementById('send-form');
  var seen = new Set();
  var lastSeq = 0;
  if (thread) {
    Array.prototype.forEach.call(thread.querySelectorAll('[data-seq]'), function (li) {
      var seq = Number(li.dataset.seq);
      seen.add(seq);
      if (seq > lastSeq) lastSeq = seq;
    });
    thread.scrollTop = thread.scrollHeight;
  }

  function timeOf(iso) {
    try {
      return new Date(iso).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Stockholm' });
    } catch (e) {
      return '';
    }
  }

  function senderLabel(m) {
    if (m.sender === 'visitor') return texts.visitor;
    if (m.sender === 'system') return texts.system;
    return m.mine ? texts.me : texts.colleague;
  }

  function addMessage(m) {
    if (!thread || seen.has(m.seq)) return;
    seen.add(m.seq);
    if (m.seq > lastSeq) lastSeq = m.seq;
    var nearBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
    var li = document.createElement('li');
    li.className = 'message message-' + m.sender + (m.sender === 'counsellor' ? ' message-staff' : '');
    li.dataset.seq = String(m.seq);
    var meta = document.createElement('p');
    meta.className = 'message-meta';
    var who = document.createElement('strong');
    who.textContent = senderLabel(m) || '';
    var time = document.createElement('time');
    time.dateTime = m.at;
    time.textContent = timeOf(m.at);
    meta.appendChild(who);
    meta.appendChild(document.createTextNode(' '));
    meta.appendChild(time);
    var body = document.createElement('p');
    body.className = 'message-body';
    body.textContent = m.body;
    li.appendChild(meta);
    li.appendChild(body);
    // Keep the order by sequence number even if a sent message's answer arrives after the stream's.
    var after = null;
    Array.prototype.forEach.call(thread.children, function (child) {
      if (!after && Number(child.dataset.seq) > m.seq) after = child;
    });
    thread.insertBefore(li, after);
    var empty = document.getElementById('thread-empty');
    if (empty) empty.remove();
    if (nearBottom || m.mine) thread.scrollTop = thread.scrollHeight;
  }

  function ended(text) {
    if (statusLine) statusLine.textContent = text;
    if (form) form.hidden = true;
    var actions = document.getElementById('chat-actions');
    if (actions) actions.hidden = true;
    var prepared = document.getElementById('prepared');
    if (prepared) prepared.hidden = true;
    var note = document.getElementById('closed-note');
    if (note) note.hidden = false;
  }

  // ---- the event stream ------------------------------------------------------------------------
  var source = null;
  var finished = false;
  var retryTimer = null;

  function connect() {
    var url = root.dataset.events;
    // A fresh EventSource (after the browser gave up) resumes after what the page already shows.
    if (thread) url = url.replace(/([?&])after=\d+/, '$1after=' + lastSeq);
    source = new EventSource(url);
    source.addEventListener('open', function () {
      if (statusLine && root.dataset.active === '1' && !finished) statusLine.textContent = texts.live || statusLine.textContent;
    });
    source.addEventListener('message', function (event) {
      try { addMessage(JSON.parse(event.data)); } catch (e) { /* a malformed event is skipped */ }
    });
    source.addEventListener('changed', function (event) {
      try {
        var info = JSON.parse(event.data);
        document.title = info.queue ? '(' + info.queue + ') ' + baseTitle : baseTitle;
      } catch (e) { /* ignore */ }
      document.body.dispatchEvent(new CustomEvent('chatchanged'));
    });
    source.addEventListener('status', function (event) {
      var info = {};
      try { info = JSON.parse(event.data); } catch (e) { /* ignore */ }
      finished = true;
      source.close();
      ended(info.status === 'moved' ? texts.moved : texts['closed.' + info.reason] || texts.closed);
      // A conversation that closed in the counsellor's hands asks for its outcome (issue 17).
      var ask = document.getElementById('outcome-ask');
      if (ask && info.status === 'closed') ask.hidden = false;
      document.body.dispatchEvent(new CustomEvent('chatchanged'));
    });
    source.addEventListener('error', function () {
      if (finished) return;
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. the server answered with an error): try again a little later.
        if (statusLine && thread) statusLine.textContent = texts.reconnecting || '';
        clearTimeout(retryTimer);
        retryTimer = setTimeout(connect, 5000);
      }
    });
  }
  connect();

  // ---- sending ---------------------------------------------------------------------------------
  if (form) {
    var textarea = form.querySelector('textarea[name="body"]');
    var keyField = form.querySelector('input[name="clientKey"]');
    var errorLine = document.getElementById('send-error');
    var button = form.querySelector('button[type="submit"]');
    var sending = false;

    function showError(text) {
      errorLine.textContent = text || '';
      errorLine.hidden = !text;
      if (text) textarea.setAttribute('aria-invalid', 'true');
      else textarea.removeAttribute('aria-invalid');
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (sending) return;
      sending = true;
      button.disabled = true;
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, { method: 'POST', body: body, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) {
          return res.json().then(
            function (data) { return { status: res.status, data: data }; },
            function () { return { status: res.status, data: null }; },
          );
        })
        .then(function (answer) {
          if (answer.status === 201 && answer.data && answer.data.ok) {
            addMessage(answer.data.message);
            textarea.value = '';
            keyField.value = randomKey(); // the next message is a new one
            showError('');
          } else {
            showError((answer.data && answer.data.error) || texts.sendFailed);
          }
        })
        .catch(function () {
          // Network trouble: the text and its key stay, so sending again stores it once.
          showError(texts.sendFailed);
        })
        .finally(function () {
          sending = false;
          button.disabled = false;
          textarea.focus();
        });
    });

    // Enter sends, Shift+Enter starts a new line.
    textarea.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (form.requestSubmit) form.requestSubmit();
        else form.dispatchEvent(new Event('submit', { cancelable: true }));
      }
    });

    // Prepared texts fill the reply box; the counsellor can edit before sending.
    document.addEventListener('click', function (event) {
      var link = event.target instanceof Element ? event.target.closest('a.prepared') : null;
      if (!link) return;
      event.preventDefault();
      var text = link.dataset.body || '';
      textarea.value = textarea.value.trim() ? textarea.value.replace(/\s+$/, '') + '\n' + text : text;
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    });
  }
})();
