// The town map: village boundaries from GeoJSON and events as points, drawn with ECharts.
(() => {
  const LEVEL_COLOURS = ["#2e7d32", "#f9a825", "#c62828"];
  const draw = (root) => {
    const element = root.getElementById("event-map");
    const source = root.getElementById("map-data");
    if (!element || !source || !window.echarts || element.dataset.drawn) return;
    element.dataset.drawn = "1";
    const data = JSON.parse(source.textContent);
    const escape = window.echarts.format.encodeHTML;
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    const hasGeo = data.geo.features.length > 0;
    if (hasGeo) window.echarts.registerMap("xingyao-town", data.geo);
    const points = data.points.map((p) => ({ ...p, itemStyle: { color: LEVEL_COLOURS[p.level] || LEVEL_COLOURS[0] } }));
    const series = {
      type: "scatter",
      coordinateSystem: hasGeo ? "geo" : "cartesian2d",
      symbolSize: 8,
      data: points,
      // Titles are typed by people: escape them, the tooltip is HTML.
      tooltip: {
        formatter: (item) => [item.data.name, item.data.category, item.data.state].map(escape).join("<br>"),
      },
    };
    const option = {
      tooltip: { trigger: "item", confine: true },
      series: [series],
    };
    if (hasGeo) {
      option.geo = {
        map: "xingyao-town",
        roam: true,
        label: { show: true, fontSize: 10, color: "#555" },
        itemStyle: { areaColor: "#fbf4ec", borderColor: "#b08060" },
        emphasis: { itemStyle: { areaColor: "#f5dfc8" }, label: { show: true } },
      };
    } else {
      option.xAxis = { type: "value", scale: true, name: "经度" };
      option.yAxis = { type: "value", scale: true, name: "纬度" };
    }
    chart.setOption(option);
    chart.on("click", (params) => {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
  };
  // One listener for whichever map is on the page now (the setup below runs once per page load).
  window.addEventListener("resize", () => {
    const element = document.getElementById("event-map");
    const chart = element && window.echarts && window.echarts.getInstanceByDom(element);
    if (chart) chart.resize();
  });
  window.xingyao.page("grid.map", draw);
})();
