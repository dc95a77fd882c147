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
  for (const table of root.querySelectorAll(".table-wrap > table:not([data-cards])")) {
    table.dataset.cards = "";
    const heads = [...table.querySelectorAll(":scope > thead > tr:last-child > th")];
    const labels = heads.map((th) => th.textContent.trim());
    const more = heads.map((th) => th.classList.contains("more"));
    if (more.some(Boolean)) table.classList.add("has-more");
    for (const row of table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr")) {
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
