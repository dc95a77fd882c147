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

// Unit pickers (places/widgets/unit_picker.html): search as one types, pick a result, keep its id in the hidden
// input. Results are spans, not a list: the picker sits inside the <p> of form.as_p, where a <ul> may not go. Delegated from the document so pickers in pages reached by a boosted click work too.
const pickerTimers = new WeakMap();

function pickerOf(element) {
  return element.closest("[data-unit-picker]");
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

document.addEventListener("input", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches("[data-picker-search]")) return;
  const picker = pickerOf(box);
  picker.querySelector("[data-picker-value]").value = "";
  picker.querySelector("[data-picker-chosen]").textContent = "";
  clearTimeout(pickerTimers.get(picker));
  const text = box.value.trim();
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

document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest(".picker-results button");
  if (!button) return;
  const picker = pickerOf(button);
  picker.querySelector("[data-picker-value]").value = button.dataset.id;
  picker.querySelector("[data-picker-search]").value = button.dataset.name;
  picker.querySelector("[data-picker-chosen]").textContent = `已选：${button.textContent}`;
  picker.querySelector(".picker-results").hidden = true;
});
