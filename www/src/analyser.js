// The page's side of the analyser: the WebAssembly engine runs in a Web Worker
// (analysis-worker.js); this sends it work and hands back promises.
//
// Analyses are coalesced: while one runs, only the newest request waits behind it, and the
// requests it replaced resolve to `null`. Typing fast in a large file so costs one
// analysis at a time, always of recent text, never a queue of stale ones.

export function createAnalyser() {
  const worker = new Worker(new URL("./analysis-worker.js", import.meta.url), { type: "module" });
  const waiting = new Map();
  let nextId = 1;
  let analysing = false;
  let queued = null;
  let startFailure = null;

  const ready = new Promise((resolve, reject) => {
    worker.addEventListener("message", ({ data }) => {
      if (data.kind === "ready") {
        if (data.error) {
          startFailure = toError(data.error);
          reject(startFailure);
          for (const { reject: fail } of waiting.values()) fail(startFailure);
          waiting.clear();
        } else resolve(data.version);
        return;
      }
      const call = waiting.get(data.id);
      if (!call) return;
      waiting.delete(data.id);
      if (data.error) call.reject(toError(data.error));
      else call.resolve({ result: data.result, elapsed: data.elapsed });
    });
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      startFailure = new Error(`the analyser's worker could not run (${event.message || "no details"})`);
      reject(startFailure);
      for (const { reject: fail } of waiting.values()) fail(startFailure);
      waiting.clear();
    });
  });

  function call(message) {
    if (startFailure) return Promise.reject(startFailure);
    return new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  function sendAnalysis(request) {
    analysing = true;
    call({ kind: "analyze", source: request.source, options: request.options })
      .then(request.resolve, request.reject)
      .finally(() => {
        analysing = false;
        const next = queued;
        queued = null;
        if (next) sendAnalysis(next);
      });
  }

  return {
    /** Resolves to the engine's version once it is loaded; rejects when it cannot start. */
    ready,
    /**
     * `{result: {findings, syntaxErrors}, elapsed}` for `source`, or `null` when a newer
     * request replaced this one before it was sent.
     */
    analyze(source, options) {
      return new Promise((resolve, reject) => {
        const request = { source, options, resolve, reject };
        if (!analysing) {
          sendAnalysis(request);
          return;
        }
        queued?.resolve(null);
        queued = request;
      });
    },
    /** `{result: {source, applied}, elapsed}`: the engine's `applyFixes`, in the worker. */
    applyFixes(source, selection, options) {
      return call({ kind: "applyFixes", source, selection, options });
    },
    /** `{result: LessonGrade, elapsed}`: the engine's `checkLesson`, in the worker. */
    checkLesson(source, lesson) {
      return call({ kind: "checkLesson", source, lesson });
    },
  };
}

function toError({ message, cause }) {
  const error = new Error(message);
  if (cause !== undefined) error.cause = cause;
  return error;
}
