// Field work without signal. A form marked `data-offline` (the grid worker's report and his steps on an event, the
// clerk's Party-life record)
// is never sent straight from the page: it is first kept on the phone (IndexedDB, photos included) under the id the
// phone made for it (`client_id`), then sent. With no signal it stays there, shown as "待上传" on every page, and
// goes when the signal returns (the `online` event, or the next page opened with signal). The server stores one
// record per id, so a report sent twice (an answer lost on the way back) is still one report.
(() => {
  if (!window.idbKeyval || !window.indexedDB) return; // a browser without storage posts the form as it is
  const { createStore, get, set, del, entries } = window.idbKeyval;
  const outbox = createStore("xingyao-outbox", "reports");
  let sending = false;

  const body = () => document.body;
  const me = () => body().dataset.user || "";
  const csrf = () => {
    try {
      return JSON.parse(body().getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch {
      return "";
    }
  };
  const newId = () =>
    crypto.randomUUID
      ? crypto.randomUUID()
      : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
          (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
        );

  function describe(entry) {
    const title = entry.fields.find(([name]) => name === "title" || name === "topic");
    return (title && String(title[1])) || entry.label;
  }

  async function mine() {
    return (await entries(outbox)).map(([, entry]) => entry).filter((entry) => entry.user === me());
  }

  async function draw() {
    const boxes = document.querySelectorAll("[data-outbox]");
    if (!boxes.length) return;
    const waiting = await mine();
    for (const box of boxes) {
      box.replaceChildren();
      box.hidden = !waiting.length;
      if (!waiting.length) continue;
      const heading = document.createElement("b");
      heading.textContent = `待上传 ${waiting.length} 条`;
      const note = document.createElement("span");
      note.className = "small muted";
      note.textContent = navigator.onLine ? " 正在上传…" : " 没有信号，有信号后自动上传";
      const list = document.createElement("ul");
      list.className = "plain";
      for (const entry of waiting) {
        const item = document.createElement("li");
        item.dataset.outboxItem = entry.id;
        item.append(`${describe(entry)}（保存于 ${new Date(entry.saved).toLocaleString("zh-CN")}）`);
        if (entry.error) {
          const why = document.createElement("span");
          why.className = "errorlist";
          why.textContent = ` 未能上传：${entry.error}`;
          const drop = document.createElement("button");
          drop.type = "button";
          drop.className = "link";
          drop.textContent = "删除";
          drop.addEventListener("click", async () => {
            if (!window.confirm("删除后这条上报不能恢复。确定删除？")) return;
            await del(entry.id, outbox);
            draw();
          });
          item.append(why, " ", drop);
        }
        list.append(item);
      }
      box.append(heading, note, list);
    }
  }

  function formData(entry) {
    const data = new FormData();
    for (const [name, value] of entry.fields) {
      if (name === "csrfmiddlewaretoken") continue; // the page's current token goes in the header
      if (value instanceof Blob) data.append(name, value, value.name || "photo.jpg");
      else data.append(name, value);
    }
    return data;
  }

  // One attempt for one kept report: "sent", "kept" (no signal, or not signed in) or "refused" (with the reason).
  async function send(entry) {
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST",
        body: formData(entry),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf() },
      });
    } catch {
      return { outcome: "kept" };
    }
    if (response.status === 201) {
      await del(entry.id, outbox);
      return { outcome: "sent", answer: await response.json() };
    }
    // Refused for good (the content, a right he no longer has, an event gone from his work or moved on): kept with
    // the reason for the person to read, never sent again by itself.
    if (response.status === 400 || response.status === 403 || response.status === 404) {
      const answer = await response.json().catch(() => ({}));
      const error =
        answer.detail ||
        (response.status === 400 ? "内容有误" : "您已没有办理这项工作的权限（负责的网格可能已调整）");
      await set(entry.id, { ...entry, error }, outbox);
      return { outcome: "refused", error };
    }
    return { outcome: "kept" }; // signed out (a login page), the server busy: try again later
  }

  async function flush() {
    if (sending || !navigator.onLine || !me()) return;
    sending = true;
    try {
      for (const entry of await mine()) {
        if (entry.error) continue; // refused: waits for the person to read why and delete it
        await send(entry);
      }
    } finally {
      sending = false;
      draw();
    }
  }

  async function keep(form) {
    const fields = [];
    for (const [name, value] of new FormData(form)) {
      if (value instanceof File) {
        if (!value.size) continue;
        const small = typeof window.shrunk === "function" ? await window.shrunk(value) : value;
        fields.push([name, small]);
      } else {
        fields.push([name, value]);
      }
    }
    const id = form.querySelector("input[name=client_id]").value;
    // The attribute, not `form.action`: a form with a field named "action" (an event's step) hides the property.
    const url = new URL(form.getAttribute("action") || "", window.location.href).href;
    const entry = { id, url, label: form.dataset.offlineLabel || "上报", user: me(), saved: Date.now(), fields };
    await set(id, entry, outbox);
    return entry;
  }

  function fresh(form) {
    form.reset();
    form.querySelector("input[name=client_id]").value = newId();
  }

  function say(form, text, error) {
    let line = form.querySelector(".offline-said");
    if (!line) {
      line = document.createElement("p");
      line.className = "offline-said";
      line.setAttribute("role", "status");
      form.prepend(line);
    }
    line.className = `offline-said ${error ? "errorlist" : "messages-inline"}`;
    line.textContent = text;
  }

  async function submitted(form) {
    const button = form.querySelector("button[type=submit], button:not([type])");
    if (button) button.disabled = true;
    try {
      const entry = await keep(form);
      const result = navigator.onLine ? await send(entry) : { outcome: "kept" };
      if (result.outcome === "sent") {
        window.location.assign(result.answer.url);
        return;
      }
      if (result.outcome === "refused") {
        await del(entry.id, outbox); // the person is here: he corrects the form and sends it again
        say(form, result.error, true);
        return;
      }
      fresh(form);
      say(form, "没有信号：已保存在手机上（待上传），有信号后自动上传。", false);
      draw();
    } catch {
      say(form, "未能保存在手机上（手机存储空间可能不足），请稍后再试。", true);
    } finally {
      if (button) button.disabled = false;
    }
  }

  // In the capture phase: after the confirmation of app.js, before htmx or the browser posts the form.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!form.matches || !form.matches("form[data-offline]") || event.defaultPrevented) return;
      if (!form.reportValidity()) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      submitted(form);
    },
    true,
  );

  // A list marked `data-keep-pages` (a grid worker's own events) has the phone keep the pages it links to, so each
  // event reads without signal even if it was never opened; the service worker skips pages it kept within the hour.
  function keepLinked(root) {
    if (!navigator.onLine || !("serviceWorker" in navigator)) return;
    const urls = new Set();
    for (const list of root.querySelectorAll("[data-keep-pages]")) {
      for (const link of list.querySelectorAll("a[href]")) {
        const url = new URL(link.href, window.location.href);
        if (url.origin === window.location.origin && urls.size < 30) urls.add(url.pathname + url.search);
      }
    }
    if (!urls.size) return;
    navigator.serviceWorker.ready.then((registration) => {
      if (registration.active) registration.active.postMessage({ keep: [...urls] });
    });
  }

  // The service worker answers with the pages it now holds: above each list that asked, a line says how many of
  // its events open without signal (a worker heading for a field with none knows what he can read there).
  function heldSaid(held) {
    for (const list of document.querySelectorAll("[data-keep-pages]")) {
      const pages = new Set();
      for (const link of list.querySelectorAll("a[href]")) {
        const url = new URL(link.href, window.location.href);
        if (held.has(url.pathname + url.search)) pages.add(url.pathname + url.search);
      }
      let note = list.previousElementSibling;
      if (!note || !note.matches("[data-kept-note]")) {
        if (!pages.size) continue;
        note = document.createElement("p");
        note.className = "muted kept-note";
        note.dataset.keptNote = "";
        list.before(note);
      }
      note.textContent = pages.size ? `已存到手机：${pages.size} 条事件没有信号时也能打开` : "";
    }
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && Array.isArray(event.data.kept)) heldSaid(new Set(event.data.kept));
    });
    navigator.serviceWorker.startMessages();
  }

  window.xingyao.page("core.offline", (root) => {
    for (const form of root.querySelectorAll("form[data-offline]")) {
      const id = form.querySelector("input[name=client_id]");
      if (id && !id.value) id.value = newId();
    }
    draw();
    flush();
    keepLinked(root);
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", draw);

  // Signing out clears the pages kept on this phone (another person may use it next); kept reports stay, each
  // sent only under the account that wrote it.
  document.addEventListener("submit", (event) => {
    if (event.target.matches && event.target.matches("form[data-logout]") && window.caches) {
      caches.keys().then((keys) => keys.forEach((key) => caches.delete(key)));
    }
  });

  if ("serviceWorker" in navigator && me()) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  }
})();
