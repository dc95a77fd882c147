// The dashboard's charts and village map, drawn with ECharts from the page's json_script data. The table beside
// each chart holds the same numbers (phones show it first); a click on a bar, a point or a village opens the
// records behind it. An optional base map comes from a configured tile service (Web Mercator tiles under the map).
(() => {
  const RED = "#c62828";
  const STAR_COLOURS = ["#eeeeee", "#ffe0b2", "#ffb74d", "#fb8c00", "#e64a19", "#b71c1c"];
  const STAR_NAMES = ["无星", "一星", "二星", "三星", "四星", "五星"];
  // Readers who ask for less motion get the charts drawn at once (the browser tests ask for it too).
  const still = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const go = (url) => {
    if (url) window.location.href = url;
  };

  const drawCharts = (root, data) => {
    root.querySelectorAll("[data-chart]").forEach((element) => {
      if (element.dataset.drawn) return;
      element.dataset.drawn = "1";
      const spec = data.charts[Number(element.dataset.chart)];
      const chart = window.echarts.init(element, null, { renderer: "canvas" });
      const crowded = spec.labels.length > 6;
      chart.setOption({
        animation: !still(),
        color: [RED],
        tooltip: { trigger: "axis", confine: true },
        grid: { left: 8, right: 16, bottom: 8, top: 28, containLabel: true },
        xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: crowded ? 40 : 0 } },
        yAxis: { type: "value", name: spec.unit, minInterval: spec.unit === "%" || spec.unit === "分" ? 0 : 1 },
        series: [
          {
            name: spec.title,
            type: spec.kind,
            data: spec.values,
            symbolSize: 10,
            barMaxWidth: 36,
            connectNulls: true,
            cursor: "pointer",
          },
        ],
      });
      chart.on("click", (item) => go(spec.urls[item.dataIndex]));
    });
  };

  // Web Mercator, so that tiles and boundaries line up.
  const MERCATOR = {
    project: ([lng, lat]) => [(lng * Math.PI) / 180, -Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))],
    unproject: ([x, y]) => [(x * 180) / Math.PI, (Math.atan(Math.exp(-y)) * 360) / Math.PI - 90],
  };
  const tileX = (lng, z) => ((lng + 180) / 360) * 2 ** z;
  const tileY = (lat, z) => {
    const r = (lat * Math.PI) / 180;
    return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z;
  };
  const tileLng = (x, z) => (x / 2 ** z) * 360 - 180;
  const tileLat = (y, z) => (Math.atan(Math.sinh(Math.PI - (2 * Math.PI * y) / 2 ** z)) * 180) / Math.PI;

  const drawTiles = (chart, layer, template) => {
    const width = chart.getWidth();
    const height = chart.getHeight();
    const corner = (x, y) => chart.convertFromPixel({ geoIndex: 0 }, [x, y]);
    const [west, north] = corner(0, 0);
    const [east, south] = corner(width, height);
    if (!(east > west)) return;
    const z = Math.max(1, Math.min(18, Math.round(Math.log2((width * 360) / (256 * (east - west))))));
    const [x0, x1] = [Math.floor(tileX(west, z)), Math.floor(tileX(east, z))];
    const [y0, y1] = [Math.floor(tileY(north, z)), Math.floor(tileY(south, z))];
    layer.replaceChildren();
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 64) return; // never a flood of requests
    for (let x = x0; x <= x1; x += 1) {
      for (let y = y0; y <= y1; y += 1) {
        const [left, top] = chart.convertToPixel({ geoIndex: 0 }, [tileLng(x, z), tileLat(y, z)]);
        const [right, bottom] = chart.convertToPixel({ geoIndex: 0 }, [tileLng(x + 1, z), tileLat(y + 1, z)]);
        const img = document.createElement("img");
        img.alt = "";
        img.src = template
          .replace("{z}", z)
          .replace("{x}", x)
          .replace("{y}", y)
          .replace("{s}", (x + y) % 8);
        Object.assign(img.style, {
          left: `${left}px`,
          top: `${top}px`,
          width: `${right - left}px`,
          height: `${bottom - top}px`,
        });
        layer.append(img);
      }
    }
  };

  const mapOption = (spec, colour) => {
    const byStars = colour === "stars";
    const most = Math.max(1, ...spec.villages.map((v) => v.events));
    return {
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: (item) => {
          const v = item.data || {};
          const escape = window.echarts.format.encodeHTML;
          const stars = v.stars === null || v.stars === undefined ? "未评定" : STAR_NAMES[v.stars] || `${v.stars}星`;
          return `${escape(v.label || "")}<br>${stars} · 网格事件 ${v.events} 件`;
        },
      },
      visualMap: byStars
        ? {
            type: "piecewise",
            dimension: 0,
            seriesIndex: 0,
            orient: "horizontal",
            left: 8,
            bottom: 8,
            pieces: STAR_COLOURS.map((color, n) => ({ value: n, label: STAR_NAMES[n], color })),
            outOfRange: { color: "#f5f5f5" },
          }
        : {
            type: "continuous",
            dimension: 0,
            seriesIndex: 0,
            orient: "horizontal",
            left: 8,
            bottom: 8,
            min: 0,
            max: most,
            text: [`${most} 件`, "0"],
            calculable: false,
            inRange: { color: ["#fff3e0", "#ef6c00", "#b71c1c"] },
          },
      series: [
        {
          type: "map",
          geoIndex: 0,
          data: spec.villages.map((v) => ({
            name: v.key,
            label: v.name,
            value: byStars ? (v.stars === null ? -1 : v.stars) : v.events,
            stars: v.stars,
            events: v.events,
            url: byStars ? v.dashboard : v.events_url,
          })),
        },
      ],
    };
  };

  const drawMap = (root, data) => {
    const element = root.querySelector("#dash-map");
    if (!element || element.dataset.drawn) return;
    element.dataset.drawn = "1";
    const spec = data.map;
    spec.villages.forEach((v, n) => {
      v.key = `v${n}`;
      spec.geo.features[n].properties.name = v.key;
    });
    window.echarts.registerMap("xingyao-dashboard", spec.geo);
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    const names = Object.fromEntries(spec.villages.map((v) => [v.key, v.name]));
    const geo = {
      map: "xingyao-dashboard",
      roam: true,
      label: { show: true, fontSize: 10, color: "#333", formatter: (item) => names[item.name] || "" },
      itemStyle: { borderColor: "#8d6e63", opacity: spec.tiles ? 0.75 : 1 },
      emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffd180" } },
    };
    if (spec.tiles) geo.projection = MERCATOR;
    chart.setOption({ animation: !still(), geo, ...mapOption(spec, spec.colour) });
    chart.on("click", (item) => go(item.data && item.data.url));
    const layer = element.parentElement.querySelector(".dash-tiles");
    if (spec.tiles && layer) {
      const redraw = () => drawTiles(chart, layer, spec.tiles);
      chart.on("georoam", redraw);
      chart.on("finished", redraw);
    }
    root.querySelectorAll("a[data-colour]").forEach((link) => {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        chart.setOption(mapOption(spec, link.dataset.colour), { replaceMerge: ["visualMap", "series"] });
        root.querySelectorAll("a[data-colour]").forEach((other) => {
          other.classList.toggle("active", other === link);
          if (other === link) other.setAttribute("aria-current", "true");
          else other.removeAttribute("aria-current");
        });
        window.history.replaceState(null, "", link.href);
      });
    });
  };

  window.addEventListener("resize", () => {
    document.querySelectorAll("[data-chart], #dash-map").forEach((element) => {
      const chart = window.echarts && window.echarts.getInstanceByDom(element);
      if (chart) chart.resize();
    });
  });
  window.xingyao.page("reports.dashboard", (root) => {
    const source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    drawCharts(root, data);
    drawMap(root, data);
  });
})();
