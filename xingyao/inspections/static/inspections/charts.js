// Inspection charts drawn with ECharts from the page's json_script data: a round's ranking (stacked bars per star)
// and the villages' trends across rounds (lines). The tables beside them carry the same numbers.
(() => {
  const COLOURS = ["#c62828", "#ef6c00", "#2e7d32", "#1565c0", "#6a1b9a"];
  const ready = (element) => element && window.echarts && !element.dataset.drawn;
  const ranking = (root) => {
    const element = root.getElementById("ranking-chart");
    const source = root.getElementById("ranking-data");
    if (!ready(element) || !source) return;
    element.dataset.drawn = "1";
    const data = JSON.parse(source.textContent);
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "value", name: "分" },
      yAxis: { type: "category", data: data.villages, inverse: true },
      series: data.stars.map((s) => ({ name: s.name, type: "bar", stack: "total", data: s.values })),
    });
  };
  const trend = (root) => {
    const element = root.getElementById("trend-chart");
    const source = root.getElementById("trend-data");
    if (!ready(element) || !source) return;
    element.dataset.drawn = "1";
    const data = JSON.parse(source.textContent);
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "axis", confine: true },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.rounds },
      yAxis: { type: "value", name: "分", scale: true },
      series: data.series.map((s) => ({ name: s.name, type: "line", connectNulls: true, data: s.values })),
    });
  };
  window.addEventListener("resize", () => {
    for (const id of ["ranking-chart", "trend-chart"]) {
      const element = document.getElementById(id);
      const chart = element && window.echarts && window.echarts.getInstanceByDom(element);
      if (chart) chart.resize();
    }
  });
  window.xingyao.page("inspections.charts", (root) => {
    ranking(root);
    trend(root);
  });
})();
