// Site-wide behaviour without inline scripts (the Content-Security-Policy forbids them).
//
// hx-boost swaps only the body on a click, so page scripts sit at the end of the body (never in the head) and
// register their setup here once: it runs for the page as first loaded, and again for every piece of HTML htmx
// swaps in, however the page was reached. A setup must be idempotent (mark what it has wired up).
window.xingyao = window.xingyao || { setups: new Map() };
window.xingyao.page = (name, setup) => {
  if (window.xingyao.setups.has(name)) return; // the page's script ran again after a later click
  window.xingyao.setups.set(name, setup);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => setup(document));
  else setup(document);
};
document.addEventListener("htmx:load", () => {
  for (const setup of window.xingyao.setups.values()) setup(document);
});
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const text = status === 403 ? "您无权执行此操作" : status === 404 ? "记录不存在或不在您的辖区内" : "操作失败，请稍后重试";
  window.alert(text);
});

// An irreversible step asks first: `data-confirm` on a form (or on the button that submits it) holds the question.
// Listening in the capture phase runs before htmx's own submit handler on a boosted form or one with hx-post, so
// "取消" stops both the boosted request and a plain browser submission.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    const button = event.submitter;
    const message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

// Unit pickers (places/widgets/unit_picker.html, unit_multi_picker.html): search as one types, pick a result,
// keep its id in a hidden input (one, or one per chip in a multiple picker). Results are spans, not a list: the
// picker sits inside the <p> of form.as_p, where a <ul> may not go. Delegated from the document so pickers in pages
// reached by a boosted click work too. A choice fires `change` on its hidden input, so a filter form that reloads
// on change (hx-trigger="change") follows choices, not keystrokes.
const pickerTimers = new WeakMap();

function pickerOf(element) {
  return element.closest("[data-unit-picker]");
}

function changed(element) {
  element.dispatchEvent(new Event("change", { bubbles: true }));
}

function showResults(picker, results, more) {
  const list = picker.querySelector(".picker-results");
  list.replaceChildren();
  for (const unit of results) {
    const item = document.createElement("span");
    item.setAttribute("role", "option");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = unit.label;
    button.dataset.id = unit.id;
    button.dataset.name = unit.name;
    item.append(button);
    list.append(item);
  }
  if (!results.length || more) {
    const note = document.createElement("span");
    note.className = "muted small";
    note.textContent = results.length ? "结果较多，请输入更完整的名称或代码" : "没有找到，请换个名称或代码";
    list.append(note);
  }
  list.hidden = false;
}

function choose(picker, button) {
  const box = picker.querySelector("[data-picker-search]");
  if (picker.hasAttribute("data-multiple")) {
    const chips = picker.querySelector("[data-picker-chips]");
    const taken = [...chips.querySelectorAll("input")].some((input) => input.value === button.dataset.id);
    if (!taken) {
      const chip = document.createElement("span");
      chip.className = "picker-chip";
      chip.dataset.pickerChip = "";
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = picker.dataset.name;
      input.value = button.dataset.id;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.dataset.pickerRemove = "";
      remove.setAttribute("aria-label", `移除${button.dataset.name}`);
      remove.textContent = "移除";
      chip.append(input, `${button.textContent} `, remove);
      chips.append(chip);
      changed(input);
    }
    box.value = "";
  } else {
    const hidden = picker.querySelector("[data-picker-value]");
    hidden.value = button.dataset.id;
    box.value = button.dataset.name;
    picker.querySelector("[data-picker-chosen]").textContent = `已选：${button.textContent}`;
    changed(hidden);
  }
  picker.querySelector(".picker-results").hidden = true;
}

document.addEventListener("input", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches("[data-picker-search]")) return;
  const picker = pickerOf(box);
  const text = box.value.trim();
  if (!picker.hasAttribute("data-multiple")) {
    const hidden = picker.querySelector("[data-picker-value]");
    const had = hidden.value;
    hidden.value = "";
    picker.querySelector("[data-picker-chosen]").textContent = "";
    if (had && !text) changed(hidden); // emptied: a filter goes back to 全部
  }
  clearTimeout(pickerTimers.get(picker));
  if (!text) {
    picker.querySelector(".picker-results").hidden = true;
    return;
  }
  pickerTimers.set(
    picker,
    setTimeout(async () => {
      const url = new URL(picker.dataset.url, window.location.href);
      url.searchParams.set("q", text);
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok || box.value.trim() !== text) return;
      const data = await response.json();
      showResults(picker, data.results, data.more);
    }, 250),
  );
});

// The search box's own `change` (on leaving it) is half-typed text, not a choice: keep it from the form.
document.addEventListener(
  "change",
  (event) => {
    if (event.target.matches && event.target.matches("[data-picker-search]")) event.stopPropagation();
  },
  true,
);

// Enter in a search box takes the first result instead of submitting the form with a half-typed name.
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (event.key !== "Enter" || !box.matches || !box.matches("[data-picker-search]")) return;
  event.preventDefault();
  const first = pickerOf(box).querySelector(".picker-results:not([hidden]) button");
  if (first) choose(pickerOf(box), first);
});

document.addEventListener("click", (event) => {
  const target = event.target.closest && event.target.closest(".picker-results button, [data-picker-remove]");
  if (!target) return;
  const picker = pickerOf(target);
  if (target.hasAttribute("data-picker-remove")) {
    target.closest("[data-picker-chip]").remove();
    changed(picker);
    return;
  }
  choose(picker, target);
});

// Tables on a phone become cards (app.css, below 700 px): each cell carries its column's name from the header, and
// the columns a header marks `class="more"` stay folded until the card is tapped. Works on every `.table-wrap` table,
// including the ones HTMX swaps in.
window.xingyao.page("core.cards", (root) => {
  for (const table of root.querySelectorAll(".table-wrap > table")) {
    const rows = table.querySelectorAll(":scope > tbody > tr:not([data-carded]), :scope > tfoot > tr:not([data-carded])");
    if (!rows.length) continue;
    const heads = [...table.querySelectorAll(":scope > thead > tr:last-child > th")];
    const labels = heads.map((th) => th.textContent.trim());
    const more = heads.map((th) => th.classList.contains("more"));
    if (more.some(Boolean)) table.classList.add("has-more");
    for (const row of rows) {
      row.dataset.carded = "";
      let column = 0;
      for (const cell of row.children) {
        if (labels[column] && !cell.hasAttribute("data-label")) cell.dataset.label = labels[column];
        if (more[column]) cell.classList.add("more");
        column += cell.colSpan || 1;
      }
    }
  }
});

document.addEventListener("click", (event) => {
  const row = event.target.closest && event.target.closest("table.has-more > tbody > tr");
  if (!row || event.target.closest("a, button, input, select, textarea, label")) return;
  row.classList.toggle("open");
});

// A list's filter form folds behind a "筛选" button (open on wide screens and when it shows an error); what is
// filtered shows as chips beside it, each with a × that clears that filter. No form needs markup of its own: any
// `form.filters` gets this.
function filterChips(form) {
  const chips = [];
  for (const control of form.querySelectorAll("select, input")) {
    if (!control.name || control.type === "hidden" || control.type === "submit") continue;
    const picker = control.closest("[data-unit-picker]");
    let text = "";
    if (picker) {
      const chosen = picker.querySelector("[data-picker-value]");
      if (control.matches("[data-picker-search]") && chosen && chosen.value) text = control.value;
    } else if (control.tagName === "SELECT") {
      if (control.value) text = control.selectedOptions[0].textContent.trim();
    } else if (control.type !== "checkbox" && control.type !== "radio") {
      text = control.value.trim();
    }
    if (!text) continue;
    const label = form.querySelector(`label[for="${control.id}"]`);
    chips.push({ control, picker, text: label ? `${label.textContent.trim()}：${text}` : text });
  }
  return chips;
}

function drawChips(form, box) {
  box.replaceChildren();
  for (const chip of filterChips(form)) {
    const item = document.createElement("span");
    item.className = "filter-chip";
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "link";
    clear.setAttribute("aria-label", `取消筛选 ${chip.text}`);
    clear.textContent = "×";
    clear.addEventListener("click", () => {
      if (chip.picker) {
        chip.picker.querySelector("[data-picker-value]").value = "";
        chip.picker.querySelector("[data-picker-chosen]").textContent = "";
      }
      chip.control.value = "";
      drawChips(form, box);
      form.requestSubmit();
    });
    item.append(chip.text, " ", clear);
    box.append(item);
  }
  box.hidden = !box.children.length;
}

window.xingyao.page("core.filters", (root) => {
  for (const form of root.querySelectorAll("form.filters:not([data-folded])")) {
    form.dataset.folded = "";
    const fold = document.createElement("details");
    fold.className = "filter-fold";
    const summary = document.createElement("summary");
    summary.className = "button secondary";
    summary.textContent = "筛选";
    const box = document.createElement("div");
    box.className = "filter-chips";
    form.before(fold);
    fold.append(summary, form);
    fold.after(box);
    fold.open = window.matchMedia("(min-width: 700px)").matches || form.querySelector(".errorlist") !== null;
    form.addEventListener("change", () => drawChips(form, box));
    drawChips(form, box);
  }
});

// Uploads (`form[data-upload]`): every chosen file goes in a request of its own with a progress bar, the button is
// disabled while they run, and the row named by `data-upload-row` is replaced by the one the server answers, so the
// page stays where it is. A large JPEG is made smaller on the phone first (canvas), carrying its EXIF block along
// (time and position, with the orientation reset since the canvas has already turned the picture upright): the
// server checks and strips it as it does for any photo. Without this script the form posts all files at once.
const SHRINK_EDGE = 2560;
const SHRINK_FROM_BYTES = 1024 * 1024;

function exifSegment(bytes) {
  // The APP1 "Exif" segment of a JPEG, or null. Markers up to the first scan are walked; nothing is decoded.
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1];
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    if (marker === 0xda) break;
    const isExif = marker === 0xe1 && String.fromCharCode(...bytes.slice(at + 4, at + 8)) === "Exif";
    if (isExif) return bytes.slice(at, at + 2 + length);
    at += 2 + length;
  }
  return null;
}

function uprightExif(segment) {
  // Set IFD0's Orientation (0x0112) to 1 in a copy of the segment.
  const copy = segment.slice();
  const view = new DataView(copy.buffer);
  const tiff = 10;
  const little = view.getUint16(tiff) === 0x4949;
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > copy.length) return copy;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > copy.length) break;
    if (view.getUint16(entry, little) === 0x0112) view.setUint16(entry + 8, 1, little);
  }
  return copy;
}

async function shrunk(file) {
  if (file.type !== "image/jpeg" || file.size < SHRINK_FROM_BYTES || !window.createImageBitmap) return file;
  try {
    const original = new Uint8Array(await file.arrayBuffer());
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, SHRINK_EDGE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.85));
    if (!blob || blob.size >= file.size) return file;
    const exif = exifSegment(original);
    const body = new Uint8Array(await blob.arrayBuffer());
    const parts = exif ? [body.slice(0, 2), uprightExif(exif), body.slice(2)] : [body];
    return new File(parts, file.name, { type: "image/jpeg", lastModified: file.lastModified });
  } catch {
    return file; // the browser cannot do it: the server scales it down instead
  }
}

function sendOne(form, file, bar) {
  return new Promise((resolve) => {
    const data = new FormData(form);
    data.delete("file");
    data.append("file", file, file.name);
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("HX-Request", "true");
    request.setRequestHeader("X-CSRFToken", data.get("csrfmiddlewaretoken"));
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) bar.value = event.loaded / event.total;
    });
    request.addEventListener("load", () => resolve({ ok: request.status === 200, text: request.responseText }));
    request.addEventListener("error", () => resolve({ ok: false, text: "网络中断，未上传，请稍后重试" }));
    request.send(data);
  });
}

// In the capture phase, after the confirmation above and before htmx's own handler on the (boosted) form.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!form.matches || !form.matches("form[data-upload]") || event.defaultPrevented) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    upload(form);
  },
  true,
);

async function upload(form) {
  const input = form.querySelector("input[type=file]");
  const button = form.querySelector("button");
  const list = form.querySelector(".upload-progress");
  const files = [...input.files];
  if (!files.length) return;
  button.disabled = true;
  button.textContent = "正在上传…";
  list.replaceChildren();
  let row = null;
  const failed = [];
  for (const file of files) {
    const item = document.createElement("li");
    const bar = document.createElement("progress");
    bar.max = 1;
    bar.value = 0;
    item.append(`${file.name} `, bar);
    list.append(item);
    const answer = await sendOne(form, await shrunk(file), bar);
    if (answer.ok) {
      row = answer.text;
      bar.value = 1;
    } else {
      failed.push(item);
      item.replaceChildren(`${file.name}：${answer.text || "上传失败"}`);
      item.className = "errorlist";
    }
  }
  button.disabled = false;
  button.textContent = "上传";
  input.value = "";
  const target = row && document.getElementById(form.dataset.uploadRow);
  if (target) {
    const holder = document.createElement("tbody");
    holder.innerHTML = row.trim();
    const fresh = holder.firstElementChild;
    target.replaceWith(fresh);
    if (failed.length) {
      // Keep the refusals in view: the new row's form, opened, lists them.
      const fold = fresh.querySelector(".upload-fold");
      if (fold) fold.open = true;
      fresh.querySelector(".upload-progress")?.append(...failed);
    }
    if (window.htmx) window.htmx.process(fresh);
    for (const setup of window.xingyao.setups.values()) setup(document); // cards get their column names
  }
}
