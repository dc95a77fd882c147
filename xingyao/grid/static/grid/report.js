// The report form: fill the hidden coordinates from the browser's location when the worker asks for it.
(() => {
  const setup = (root) => {
    const button = root.getElementById("locate");
    if (!button || button.dataset.ready) return;
    button.dataset.ready = "1";
    button.disabled = false; // rendered disabled: a click before this script runs would do nothing
    const status = root.getElementById("locate-status");
    const lat = root.getElementById("id_latitude");
    const lng = root.getElementById("id_longitude");
    button.addEventListener("click", () => {
      if (!navigator.geolocation) {
        status.textContent = "此浏览器不支持定位，可不填";
        return;
      }
      status.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(
        (position) => {
          lat.value = position.coords.latitude.toFixed(6);
          lng.value = position.coords.longitude.toFixed(6);
          status.textContent = `已定位：${lat.value}, ${lng.value}（误差约 ${Math.round(position.coords.accuracy)} 米）`;
        },
        () => {
          status.textContent = "未能获取位置（可能未授权），可不填";
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
      );
    });
  };
  window.xingyao.page("grid.report", setup);
})();
