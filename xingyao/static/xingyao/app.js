// Site-wide behaviour without inline scripts (the Content-Security-Policy forbids them).
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
