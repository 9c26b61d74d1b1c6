// Loaded into the benchmark's real page before the app: records, on the page's own clock
// (epoch ms), every fetch with its body (so simulated students can send the same requests),
// each queue message the page receives, pen downs and ups, and changes to the Draw tab's
// verdict and pixel view.
(() => {
  // busy: requests whose answer (or, for the queue stream, whose end) has not come yet.
  const rec = (window.__dl = { fetches: [], messages: [], pen: [], dom: [], busy: 0 });
  const now = () => performance.timeOrigin + performance.now();
  const base64 = async (blob) => {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  };
  const encode = async (body) => {
    if (body == null) return null;
    if (typeof body === "string") return { text: body };
    if (body instanceof FormData) {
      const parts = [];
      for (const [name, v] of body.entries()) {
        parts.push(typeof v === "string" ? { name, text: v }
          : { name, filename: v.name, type: v.type, b64: await base64(v) });
      }
      return { form: parts };
    }
    if (body instanceof Blob) return { type: body.type, b64: await base64(body) };
    return { text: String(body) };
  };
  const readMessages = async (stream) => {
    const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ done: true }));
      if (done) return rec.busy--;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const line = buffer.slice(0, cut).split("\n").find((l) => l.startsWith("data:"));
        buffer = buffer.slice(cut + 2);
        if (!line) continue;
        try {
          const m = JSON.parse(line.slice(5));
          rec.messages.push({ t: now(), msg: m.msg, event_id: m.event_id, success: m.success });
        } catch (e) { /* a heartbeat or a partial line */ }
      }
    }
  };
  const fetch0 = window.fetch;
  window.fetch = async function (input, init) {
    const request = input instanceof Request ? input : null;
    const url = request ? request.url : String(input);
    const method = (init && init.method) || (request && request.method) || "GET";
    const entry = { t: now(), url, method };
    rec.fetches.push(entry);
    const counted = !url.includes("/heartbeat/");  // the page's heartbeat stream never ends
    if (counted) rec.busy++;
    const sent = fetch0.apply(this, arguments);
    encode(init && init.body).then((b) => { entry.body = b; });
    let response;
    try {
      response = await sent;
    } catch (error) {
      if (counted) rec.busy--;
      throw error;
    }
    if (url.includes("/queue/data") && response.body) {
      const [mine, theirs] = response.body.tee();
      readMessages(mine);
      return new Response(theirs, { status: response.status, headers: response.headers });
    }
    response.clone().text().then((text) => { entry.response = text; })
      .finally(() => { if (counted) rec.busy--; });
    return response;
  };
  // Pen events on the drawing surface only (not the canvas's buttons, not the rest of the page).
  let drawing = false;
  window.addEventListener("pointerdown", (e) => {
    const target = e.target instanceof Element ? e.target : null;
    drawing = Boolean(target && target.closest("#dl-canvas") && !target.closest("button"));
    if (drawing) rec.pen.push({ t: now(), type: "pointerdown" });
  }, true);
  window.addEventListener("pointerup", () => {
    if (drawing) rec.pen.push({ t: now(), type: "pointerup" });
    drawing = false;
  }, true);
  const watch = () => {
    const targets = ["#dl-verdict", "#dl-pixels"].map((s) => document.querySelector(s));
    if (targets.some((t) => !t)) return setTimeout(watch, 100);
    const seen = new MutationObserver(() => rec.dom.push({ t: now() }));
    for (const target of targets) {
      seen.observe(target, { subtree: true, childList: true, characterData: true, attributes: true });
    }
  };
  window.addEventListener("load", watch);
})();
