/*
 * AreaMap: a Dash component that draws areas from a GeoJSON URL with MapLibre GL and colours
 * them from one palette index per area. The contract (props, events, test hooks) is documented
 * in layouts/mapview/__init__.py; this file is loaded as-is (no build step of its own) after
 * maplibre-gl.js, and uses only React's and MapLibre's public APIs.
 *
 * Why feature-state: a change of colours sets one state per area and MapLibre repaints without
 * tiling the geometry again, so a slider move costs the same whether the map has 60 or 11,000 areas.
 */
(function () {
    "use strict";
    var React = window.React, maplibregl = window.maplibregl, h = React.createElement;
    var SOURCE = "areas", FILL = "areas-fill", LINE = "areas-line", SELECTED = "areas-selected";
    var OSM = "osm", NO_COLOUR = "#dddddd";
    var OSM_SOURCE = {
        type: "raster", tileSize: 256, maxzoom: 19,
        tiles: ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"],
        attribution: "© <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a>"
    };
    // without a basemap nothing outside this server is requested: the style has no sources
    var EMPTY_STYLE = {version: 8, sources: {},
                       layers: [{id: "background", type: "background", paint: {"background-color": "#ffffff"}}]};

    // start MapLibre's workers now, while Dash still fetches the page: the map needs them at once
    maplibregl.prewarm();

    // the worker that loads the GeoJSON needs an absolute address
    function absolute(url) { return new URL(url, window.location.href).href; }

    function AreaMap(props) {
        React.Component.call(this, props);
        this.box = React.createRef();
        this.canvasBox = React.createRef();
        this.tip = React.createRef();
        this.hoverIndex = null;
        this.clicks = 0;
        this.tips = {};  // tooltip answers of the current paint version, by area id
    }
    AreaMap.prototype = Object.create(React.Component.prototype);
    AreaMap.prototype.constructor = AreaMap;

    function areaSource(url) { return {type: "geojson", data: absolute(url), promoteId: "i"}; }

    function areaLayers(basemap) {
        return [
            {id: FILL, type: "fill", source: SOURCE,
             paint: {"fill-color": ["coalesce", ["feature-state", "c"], NO_COLOUR],
                     "fill-opacity": basemap === OSM ? 0.75 : 1}},
            {id: LINE, type: "line", source: SOURCE, paint: {"line-color": "#555555", "line-width": 0.8}},
            {id: SELECTED, type: "line", source: SOURCE, filter: ["==", ["get", "i"], -1],
             paint: {"line-color": "#000000", "line-width": 3}}
        ];
    }

    AreaMap.prototype.componentDidMount = function () {
        var self = this, p = this.props;
        // the geometry is part of the first style, so its download starts with the map
        var style = EMPTY_STYLE;
        if (p.geometry) {
            style = {version: 8, sources: {}, layers: EMPTY_STYLE.layers.concat(areaLayers(p.basemap))};
            style.sources[SOURCE] = areaSource(p.geometry);
            this.geometryShown = p.geometry;
        }
        // fadeDuration 0: the map has no labels to fade, and a fade would keep it busy (not idle)
        // for 300 ms after every repaint
        var options = {container: this.canvasBox.current, style: style, attributionControl: {compact: true},
                       dragRotate: false, pitchWithRotate: false, touchPitch: false, fadeDuration: 0};
        if (p.bounds) { options.bounds = p.bounds; options.fitBoundsOptions = {padding: 12}; }
        var map = this.map = new maplibregl.Map(options);
        map.addControl(new maplibregl.NavigationControl({showCompass: false}), "top-right");
        map.touchZoomRotate.disableRotation();
        map.keyboard.disableRotation();
        // the public hook for tests and the benchmark: the MapLibre map and the last paint applied
        this.box.current.areaMap = map;
        if (p.label) { map.getCanvas().setAttribute("aria-label", p.label); }
        map.on("load", function () {  // with the props of now: they may have changed while the map loaded
            var now = self.props;
            self.loaded = true;
            self.setBasemap(now.basemap);
            if (now.geometry) { self.setGeometry(now.geometry); }
            self.paint();
            self.select(now.selected);
        });
        map.on("mousemove", FILL, function (e) { self.hover(e.features[0], e.point); });
        map.on("mouseleave", FILL, function () { self.hover(null); });
        map.on("click", FILL, function (e) {
            var id = self.areaId(e.features[0]);
            if (id !== null) {
                self.clicks += 1;
                self.props.setProps({click_area: {id: id, n: self.clicks}});
            }
        });
    };

    AreaMap.prototype.componentWillUnmount = function () {
        if (this.map) { this.map.remove(); this.map = null; }
    };

    AreaMap.prototype.componentDidUpdate = function (prev) {
        var p = this.props;
        if (!this.loaded) { return; }
        if (p.basemap !== prev.basemap) { this.setBasemap(p.basemap); }
        var newGeometry = p.geometry !== prev.geometry;
        if (newGeometry) { this.setGeometry(p.geometry); }
        if (newGeometry || p.paint !== prev.paint) { this.paint(prev.paint); }
        if (p.selected !== prev.selected || newGeometry) { this.select(p.selected); }
        if (p.tooltip !== prev.tooltip && p.tooltip) { this.answer(p.tooltip); }
    };

    AreaMap.prototype.setBasemap = function (basemap) {
        var map = this.map;
        if (basemap === OSM && !map.getSource(OSM)) {
            map.addSource(OSM, OSM_SOURCE);
            map.addLayer({id: OSM, type: "raster", source: OSM}, map.getLayer(FILL) ? FILL : undefined);
        }
        if (map.getLayer(OSM)) { map.setLayoutProperty(OSM, "visibility", basemap === OSM ? "visible" : "none"); }
        // over the tiles the areas are a little transparent, so streets and names show through
        if (map.getLayer(FILL)) { map.setPaintProperty(FILL, "fill-opacity", basemap === OSM ? 0.75 : 1); }
    };

    AreaMap.prototype.setGeometry = function (url) {
        var map = this.map, self = this;
        this.box.current.areaIds = this.props.area_ids;
        this.box.current.setAttribute("data-geometry", url);
        this.box.current.removeAttribute("data-areas");
        this.hoverIndex = null;  // indices of the old geometry mean nothing in the new one
        this.tip.current.hidden = true;
        var source = map.getSource(SOURCE);
        if (!source) {
            map.addSource(SOURCE, areaSource(url));
            areaLayers(this.props.basemap).forEach(function (layer) { map.addLayer(layer); });
        } else if (this.geometryShown !== url) {
            map.removeFeatureState({source: SOURCE});
            source.setData(absolute(url));
        }
        this.geometryShown = url;
        // once the new geometry is drawn, the container tells how many areas the map holds
        function counted() {
            if (!map.isSourceLoaded(SOURCE) || !map.getSource(SOURCE)) { return; }
            var seen = {};
            map.querySourceFeatures(SOURCE).forEach(function (f) { seen[f.id] = true; });
            var n = Object.keys(seen).length;
            if (!n) { return; }
            map.off("idle", counted);
            if (self.box.current) { self.box.current.setAttribute("data-areas", String(n)); }
        }
        map.on("idle", counted);
    };

    AreaMap.prototype.paint = function (previous) {
        var paint = this.props.paint, map = this.map;
        if (!paint || !map.getSource(SOURCE)) { return; }
        var codes = paint.codes || [], palette = paint.palette || [];
        for (var i = 0; i < codes.length; i++) {
            map.setFeatureState({source: SOURCE, id: i}, {c: palette[codes[i]]});
        }
        this.box.current.areaPaint = paint;
        this.box.current.setAttribute("data-paint-version", paint.version || "");
        this.box.current.dispatchEvent(new CustomEvent("areamap:painted", {detail: paint}));
        // figures of another view: forget the answers, ask again for an area under the pointer
        if (!previous || previous.version !== paint.version) {
            this.tips = {};
            if (this.hoverIndex !== null) {
                var id = this.props.area_ids[this.hoverIndex];
                this.showTip();
                this.props.setProps({hover_area: {id: id, version: paint.version}});
            }
        }
    };

    AreaMap.prototype.select = function (id) {
        var i = id === null || id === undefined ? -1 : (this.props.area_ids || []).indexOf(id);
        if (this.map.getLayer(SELECTED)) { this.map.setFilter(SELECTED, ["==", ["get", "i"], i]); }
    };

    AreaMap.prototype.areaId = function (feature) {
        var ids = this.props.area_ids || [];
        return feature && feature.id !== undefined && feature.id < ids.length ? ids[feature.id] : null;
    };

    AreaMap.prototype.hover = function (feature, point) {
        var id = this.areaId(feature), tip = this.tip.current;
        if (id === null) {
            if (this.hoverIndex === null) { return; }  // not over an area before either: nothing to tell
            this.hoverIndex = null;
            this.hoverName = null;
            tip.hidden = true;
            this.props.setProps({hover_area: null});
            return;
        }
        // the label stays close to the pointer, inside the map
        var width = this.box.current.clientWidth;
        tip.style.left = Math.min(point.x + 14, Math.max(0, width - tip.offsetWidth - 4)) + "px";
        tip.style.top = (point.y + 14) + "px";
        if (feature.id === this.hoverIndex) { return; }
        this.hoverIndex = feature.id;
        this.hoverName = feature.properties.name;
        this.showTip();
        var version = this.props.paint ? this.props.paint.version : null;
        this.props.setProps({hover_area: {id: id, version: version}});
    };

    AreaMap.prototype.answer = function (tooltip) {
        var version = this.props.paint ? this.props.paint.version : null;
        if (tooltip.version !== version) { return; }  // an answer for assumptions no longer shown
        this.tips[tooltip.id] = tooltip;
        this.showTip();
    };

    // Text only: names and figures go in as text nodes, never as HTML.
    AreaMap.prototype.showTip = function () {
        var tip = this.tip.current;
        if (this.hoverIndex === null) { tip.hidden = true; return; }
        var id = this.props.area_ids[this.hoverIndex], answer = this.tips[id];
        var lines = answer ? answer.lines : [this.props.pending_text || "…"];
        tip.textContent = "";
        var title = document.createElement("strong");
        title.textContent = answer && answer.title ? answer.title : this.hoverName || id;
        tip.appendChild(title);
        lines.forEach(function (line) {
            var div = document.createElement("div");
            div.textContent = line;
            tip.appendChild(div);
        });
        tip.hidden = false;
    };

    AreaMap.prototype.render = function () {
        var p = this.props;
        return h("div", {id: p.id, className: "caregap-areamap " + (p.className || ""), ref: this.box},
            h("div", {className: "caregap-areamap-canvas", ref: this.canvasBox}),
            h("div", {className: "caregap-areamap-tip", ref: this.tip, hidden: true, role: "status",
                      "aria-live": "polite"}));
    };

    AreaMap.defaultProps = {area_ids: [], basemap: "none", selected: null, tooltip: null};

    window.caregap_map = {AreaMap: AreaMap};
})();
