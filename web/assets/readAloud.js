// Read aloud, "talande webbsida" (R1.5): the "Lyssna" control reads the page's main content with
// the browser's own speech synthesis, in the page's language, one block (heading, paragraph, list
// item, table row …) at a time, and highlights the block being read. Plain buttons, so it works by
// keyboard; Escape stops. Where the browser has no voice for the language, it says so instead.
// No text of its own: the words come from the page (hidden [data-text] spans, from lib/i18n).
(() => {
  'use strict';
  const root = document.querySelector('[data-read-aloud]');
  const main = document.getElementById('main');
  if (!root || !main) return;
  const toggle = root.querySelector('.read-aloud-toggle');
  const stopButton = root.querySelector('.read-aloud-stop');
  const status = root.querySelector('.read-aloud-status');
  const label = toggle.querySelector('.read-aloud-label');
  const icon = toggle.querySelector('.read-aloud-icon');
  const text = (name) => root.querySelector(`[data-text="${name}"]`)?.textContent ?? '';

  const BLOCKS = 'h1,h2,h3,h4,h5,h6,p,li,dt,dd,caption,tr,legend,label,summary,figcaption,blockquote,pre,a.button,button';
  const CURRENT = 'read-aloud-current';
  const synth = 'speechSynthesis' in window ? window.speechSynthesis : null;
  const reducedMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  let state = 'idle'; // idle | reading | paused
  let queue = [];
  let index = 0;
  let current = null;
  let voices = [];

  root.hidden = false;

  /** The language of an element: its closest lang attribute (the page's, or a quotation's own). */
  const langOf = (el) => (el.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'sv').toLowerCase();

  function shown(el) {
    if (el.closest('[hidden], [aria-hidden="true"], .visually-hidden, [data-read-aloud-skip]')) return false;
    return el.getClientRects().length > 0;
  }

  /** The blocks of the main content in reading order; a block inside another is read with it. */
  function blocks() {
    const all = [...main.querySelectorAll(BLOCKS)].filter(shown);
    const set = new Set(all);
    return all
      .filter((el) => {
        for (let p = el.parentElement; p && p !== main; p = p.parentElement) if (set.has(p)) return false;
        return true;
      })
      .map((el) => ({ el, text: (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim(), lang: langOf(el) }))
      .filter((b) => b.text);
  }

  function loadVoices() {
    return new Promise((resolve) => {
      const now = synth.getVoices();
      if (now.length) return resolve(now);
      // Chrome fills the list a moment later and says so with voiceschanged.
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        synth.removeEventListener?.('voiceschanged', finish);
        resolve(synth.getVoices());
      };
      synth.addEventListener?.('voiceschanged', finish);
      setTimeout(finish, 1500);
    });
  }

  /** A voice for a BCP 47 tag: the same tag first, then the same language ("ar-SA" for "ar"). */
  function voiceFor(tag) {
    const norm = (l) => String(l || '').toLowerCase().replace('_', '-');
    const primary = tag.split('-')[0];
    const exact = voices.filter((v) => norm(v.lang) === tag);
    const same = exact.length ? exact : voices.filter((v) => norm(v.lang).split('-')[0] === primary);
    return same.find((v) => v.localService) || same[0] || null;
  }

  function setState(next, message) {
    state = next;
    toggle.dataset.state = next;
    label.textContent = text(next === 'reading' ? 'pause' : next === 'paused' ? 'resume' : 'listen');
    icon.textContent = next === 'reading' ? '❚❚' : '▶';
    const hideStop = next === 'idle';
    if (hideStop && document.activeElement === stopButton) toggle.focus();
    stopButton.hidden = hideStop;
    if (message !== undefined) status.textContent = message;
  }

  function unmark() {
    if (current) current.el.classList.remove(CURRENT);
  }

  function speakNext() {
    unmark();
    if (state !== 'reading') return;
    if (index >= queue.length) {
      current = null;
      setState('idle', text('done'));
      return;
    }
    const block = queue[index];
    current = block;
    block.el.classList.add(CURRENT);
    block.el.scrollIntoView({ block: 'nearest', behavior: reducedMotion ? 'auto' : 'smooth' });
    const utterance = new window.SpeechSynthesisUtterance(block.text);
    const voice = voiceFor(block.lang) || voiceFor(queue[0].lang);
    utterance.lang = voice ? voice.lang : block.lang;
    if (voice) utterance.voice = voice;
    // A stopped or restarted reading must not move on: only the block being read advances.
    const next = () => {
      if (current !== block || state !== 'reading') return;
      index += 1;
      speakNext();
    };
    utterance.onend = next;
    utterance.onerror = (event) => {
      if (event && (event.error === 'interrupted' || event.error === 'canceled')) return;
      next();
    };
    synth.speak(utterance);
  }

  let starting = false;

  async function start() {
    if (!synth || !window.SpeechSynthesisUtterance) {
      status.textContent = text('noSpeech');
      return;
    }
    // A second press while the voices load must not start a second reading.
    if (starting) return;
    starting = true;
    try {
      voices = await loadVoices();
    } finally {
      starting = false;
    }
    const pageLang = (document.documentElement.lang || 'sv').toLowerCase();
    if (!voiceFor(pageLang)) {
      status.textContent = text('noVoice');
      return;
    }
    queue = blocks();
    index = 0;
    synth.cancel();
    setState('reading', text('reading'));
    speakNext();
  }

  function stop(message) {
    const wasActive = state !== 'idle';
    setState('idle', message);
    unmark();
    current = null;
    if (wasActive && synth) synth.cancel();
  }

  toggle.addEventListener('click', () => {
    if (state === 'idle') start();
    else if (state === 'reading') {
      synth.pause();
      setState('paused', text('paused'));
    } else {
      synth.resume();
      setState('reading', text('reading'));
    }
  });
  stopButton.addEventListener('click', () => stop(text('stopped')));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state !== 'idle') stop(text('stopped'));
  });
  // Leaving the page ends the reading (some browsers would go on speaking).
  window.addEventListener('pagehide', () => stop());
})();
