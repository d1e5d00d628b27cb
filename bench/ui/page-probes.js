// Instrumentation the UI benchmarks install in the dashboard page before the app runs
// (page.addInitScript). Plain browser JavaScript: the project's Node typecheck has no DOM lib.
// Everything lands on window.__uiProbe; times are performance.now() (page clock) unless named
// `epoch…` (performance.timeOrigin + now, comparable with the engine's timeNano and Node's clock).
// "Shown" is always the end of the first frame painted after the DOM changed (nextPaint below):
// a rAF's own timestamp is the frame's start, which can precede the change itself.
(() => {
  const probe = {
    // (a) first paint after the containers list arrives
    watchListText: null,
    listDataAt: null,
    listHandledAt: null,
    listBytes: 0,
    rowsInDomAt: null,
    rowsFrameAt: null,
    rowsAfterPaintAt: null,
    rowsElementRenderTime: null,
    // (b) logs following
    countLogs: false,
    logLines: 0,
    logBytes: 0,
    logMessages: 0,
    lastLogNumber: -1,
    keyDelays: [],
    keyToPaint: [],
    // (d) build log: printed lines start with "qbf<number> "
    countBuildLines: false,
    buildLines: 0,
    lastBuildNumber: -1,
    // (c) engine event → UI
    rowStateHits: [],
    progress: [],
  };
  window.__uiProbe = probe;
  const epochNow = () => performance.timeOrigin + performance.now();

  /** Calls back with (frameStart, afterPaint): the rAF of the next frame, then a task queued from it, which runs after that frame was painted. */
  function nextPaint(callback) {
    requestAnimationFrame((frameStart) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => callback(frameStart, performance.now());
      channel.port2.postMessage(0);
    });
  }

  // --- WebSocket: when the backend's data reaches the page ------------------------------------
  // Subclassing keeps the app's code untouched; this listener is added in the constructor, so it
  // runs before the app's own, and event.timeStamp is when the browser queued the message.
  const NativeWebSocket = window.WebSocket;
  class ProbedWebSocket extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => inspectMessage(event));
    }
  }
  window.WebSocket = ProbedWebSocket;

  const TEXT_KEY = '"text":"';
  const BUILD_KEY = '"qbf';
  function countBuildLines(data) {
    if (!data.includes('"kind":"lines"')) return;
    let at = data.indexOf(BUILD_KEY);
    let last = -1;
    while (at !== -1) {
      probe.buildLines += 1;
      last = at;
      at = data.indexOf(BUILD_KEY, at + BUILD_KEY.length);
    }
    if (last !== -1) {
      const n = parseInt(data.slice(last + BUILD_KEY.length, last + BUILD_KEY.length + 12), 10);
      if (Number.isFinite(n)) probe.lastBuildNumber = n;
    }
  }
  function inspectMessage(event) {
    const data = event.data;
    if (typeof data !== 'string') return;
    if (probe.watchListText && probe.listDataAt === null && data.includes('"t":"result"') && data.includes(probe.watchListText)) {
      probe.listDataAt = event.timeStamp;
      probe.listHandledAt = performance.now();
      probe.listBytes = data.length;
    }
    if (probe.countBuildLines && data.includes('"t":"item"')) countBuildLines(data);
    if (probe.countLogs && data.includes('"t":"item"') && data.includes('"stream":"std')) {
      probe.logMessages += 1;
      probe.logBytes += data.length;
      let at = data.indexOf(TEXT_KEY);
      let last = -1;
      while (at !== -1) {
        probe.logLines += 1;
        last = at;
        at = data.indexOf(TEXT_KEY, at + TEXT_KEY.length);
      }
      if (last !== -1) {
        const n = parseInt(data.slice(last + TEXT_KEY.length, last + TEXT_KEY.length + 12), 10);
        if (Number.isFinite(n)) probe.lastLogNumber = n;
      }
    }
  }

  // --- (a) the first rows on screen -------------------------------------------------------------
  function containsWatched(node) {
    return probe.watchListText !== null && node.textContent !== null && node.textContent.includes(probe.watchListText);
  }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.identifier === 'berth-bench-row' && probe.rowsElementRenderTime === null) probe.rowsElementRenderTime = entry.renderTime || entry.loadTime;
    }
  }).observe({ type: 'element', buffered: true });
  const rowObserver = new MutationObserver((records) => {
    if (probe.rowsInDomAt !== null || probe.listDataAt === null) return;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!containsWatched(node)) continue;
        probe.rowsInDomAt = performance.now();
        // Element Timing reports when text of an element carrying `elementtiming` is painted.
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
          if (text.parentElement && text.textContent.includes(probe.watchListText)) text.parentElement.setAttribute('elementtiming', 'berth-bench-row');
        }
        nextPaint((frameStart, afterPaint) => {
          probe.rowsFrameAt = frameStart;
          probe.rowsAfterPaintAt = afterPaint;
        });
        return;
      }
    }
  });
  document.addEventListener('DOMContentLoaded', () => rowObserver.observe(document.body, { childList: true, subtree: true }));

  /** The nearest scrollable ancestor of the first element showing `text`, or the document. */
  probe.scrollerFor = (text) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (!t.textContent.includes(text)) continue;
      for (let el = t.parentElement; el; el = el.parentElement) {
        const style = getComputedStyle(el);
        if (el.scrollHeight > el.clientHeight + 1 && /(auto|scroll)/.test(style.overflowY)) return el;
      }
      break;
    }
    return document.scrollingElement;
  };

  /** Scrolls the list to its end, `step` px per frame; resolves the rAF deltas (ms) and DOM size. */
  probe.scrollToBottom = (text, step) =>
    new Promise((resolve) => {
      const scroller = probe.scrollerFor(text);
      scroller.scrollTop = 0;
      const deltas = [];
      let last = null;
      let maxRowsInDom = 0;
      const frame = (now) => {
        if (last !== null) deltas.push(now - last);
        last = now;
        maxRowsInDom = Math.max(maxRowsInDom, document.querySelectorAll('tr, [role="row"]').length);
        const before = scroller.scrollTop;
        scroller.scrollTop = before + step;
        if (scroller.scrollTop === before && deltas.length > 0) {
          resolve({ deltas, scrollHeight: scroller.scrollHeight, maxRowsInDom, domNodes: document.getElementsByTagName('*').length, scroller: scroller === document.scrollingElement ? 'document' : scroller.tagName.toLowerCase() });
          return;
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });

  // --- (b) input latency while logs stream ------------------------------------------------------
  window.addEventListener(
    'keydown',
    (event) => {
      if (!probe.countLogs && !probe.countBuildLines) return;
      const handlerAt = performance.now();
      probe.keyDelays.push(handlerAt - event.timeStamp);
      nextPaint((_frame, afterPaint) => probe.keyToPaint.push(afterPaint - event.timeStamp));
    },
    true,
  );

  // --- (c) a container row's state text, and progress bars --------------------------------------
  function rowOf(name) {
    for (const link of document.querySelectorAll('a')) {
      if (link.textContent.trim() === name) return link.closest('tr, [role="row"]');
    }
    return null;
  }
  /** Records the epoch time the row of `name` first shows text matching `pattern` (a RegExp source). */
  probe.watchRowState = (name, pattern) => {
    const re = new RegExp(pattern, 'i');
    const hit = { name, pattern, epochDom: null, epochFrame: null };
    const check = () => {
      const row = rowOf(name);
      if (!row) return false;
      // Cell by cell: the row's textContent glues cells together ("…latestExited"), which hides word boundaries.
      const text = Array.from(row.querySelectorAll('[role="cell"], td'), (cell) => cell.textContent).join(' ');
      if (!re.test(text)) return false;
      hit.epochDom = epochNow();
      nextPaint((_frameStart, afterPaint) => (hit.epochFrame = performance.timeOrigin + afterPaint));
      return true;
    };
    probe.rowStateHits.push(hit);
    if (check()) return;
    const observer = new MutationObserver(() => {
      if (check()) observer.disconnect();
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  };

  function progressName(el) {
    const label = el.getAttribute('aria-label');
    if (label) return label;
    const ids = el.getAttribute('aria-labelledby');
    if (ids) return ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
    return el.id ? (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '').trim() : '';
  }
  const lastProgress = new Map();
  probe.watchProgress = () => {
    const sample = () => {
      const epochDom = epochNow();
      const fresh = [];
      for (const el of document.querySelectorAll('[role="progressbar"], progress')) {
        const name = progressName(el);
        const value = el.getAttribute('aria-valuenow') ?? (el.tagName === 'PROGRESS' ? String(el.value) : null);
        const max = el.getAttribute('aria-valuemax') ?? (el.tagName === 'PROGRESS' ? String(el.max) : null);
        const key = `${name}|${value}|${max}`;
        if (lastProgress.get(el) === key) continue;
        lastProgress.set(el, key);
        const entry = { name, value: value === null ? null : Number(value), max: max === null ? null : Number(max), epochDom, epochFrame: null };
        probe.progress.push(entry);
        fresh.push(entry);
      }
      if (fresh.length) nextPaint((_frameStart, afterPaint) => fresh.forEach((e) => (e.epochFrame = performance.timeOrigin + afterPaint)));
    };
    new MutationObserver(sample).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-valuenow', 'value', 'aria-valuemax'] });
  };
})();
