// Site-wide behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const text = status === 403 ? "您无权执行此操作" : status === 404 ? "记录不存在或不在您的辖区内" : "操作失败，请稍后重试";
  window.alert(text);
});
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
