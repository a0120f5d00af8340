window.dash_clientside = Object.assign({}, window.dash_clientside, {
    caregap: {
        syncAddressBar: function (query) {
            var target = window.location.pathname + (query ? "?" + query : "");
            if (target !== window.location.pathname + window.location.search) {
                window.history.replaceState(null, "", target);
            }
            return window.dash_clientside.no_update;
        },
        resizeMap: function () {
            setTimeout(function () { window.dispatchEvent(new Event("resize")); }, 50);
            return window.dash_clientside.no_update;
        }
    }
});

// Slider handles get the text of their visible label as accessible name, so screen readers
// announce "Jahr, 2026" rather than an unnamed slider (the slider component has no such prop).
(function () {
    function nameSliders() {
        document.querySelectorAll('[role="slider"]:not([aria-label])').forEach(function (thumb) {
            var block = thumb.closest(".mb-3");
            var label = block && block.querySelector("label");
            if (label && label.textContent) {
                thumb.setAttribute("aria-label", label.textContent.trim());
            }
        });
    }
    new MutationObserver(nameSliders).observe(document.documentElement, {childList: true, subtree: true});
})();

// Map colours without redrawing shapes. The shapes are drawn once from the cached GeoJSON into a
// MapLibre source of our own (features keyed by their index `i`); a change of assumptions sets
// each feature's colour as feature-state, which repaints without re-tessellating any polygon.
// Plotly's own trace stays invisible on top: it gives the hover texts and the legend.
(function () {
    var SOURCE = "caregap-areas", FILL = "caregap-fill", LINE = "caregap-line";

    function mapOf(gd) {
        return gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot &&
            gd._fullLayout.map._subplot.map;
    }

    function firstPlotlyLayer(map) {
        var layers = map.getStyle().layers || [];
        for (var i = 0; i < layers.length; i++) {
            if (layers[i].id.indexOf("plotly-trace-layer") === 0) { return layers[i].id; }
        }
        return undefined;
    }

    function trackPointer(gd, map) {
        if (map.__caregapTracked) { return; }
        map.__caregapTracked = true;
        map.getContainer().addEventListener("mousemove", function (e) {
            if (e.isTrusted) { gd.__caregapPointer = {x: e.clientX, y: e.clientY}; }
        });
    }

    function ensureLayers(map, geo) {
        var source = map.getSource(SOURCE);
        if (source && map.__caregapGeo !== geo) {
            source.setData(geo);
        } else if (!source) {
            map.addSource(SOURCE, {type: "geojson", data: geo, promoteId: "i"});
        }
        map.__caregapGeo = geo;
        var before = firstPlotlyLayer(map);
        if (!map.getLayer(FILL)) {
            map.addLayer({id: FILL, type: "fill", source: SOURCE,
                          paint: {"fill-color": ["coalesce", ["feature-state", "c"], "#dddddd"]}}, before);
        }
        if (!map.getLayer(LINE)) {
            map.addLayer({id: LINE, type: "line", source: SOURCE,
                          paint: {"line-color": "#555555", "line-width": 0.8}}, before);
        }
    }

    function request(location, paint) {
        return {location: location, query: paint.query, at: Date.now()};
    }

    function traces(gd) {
        return [gd.data && gd.data[0], gd._fullData && gd._fullData[0]].filter(Boolean);
    }

    function apply(gd, paint) {
        var map = mapOf(gd);
        if (!map || !map.isStyleLoaded()) { return false; }
        ensureLayers(map, paint.geo);
        trackPointer(gd, map);
        for (var i = 0; i < paint.codes.length; i++) {
            map.setFeatureState({source: SOURCE, id: i}, {c: paint.palette[paint.codes[i]]});
        }
        // the hover figures of a new view are fetched per area when the pointer is over it
        var previous = gd.__caregapPaint;
        gd.__caregapPaint = paint;
        if (previous && previous.query !== paint.query) {
            var pending = paint.codes.map(function () { return paint.pending; });
            traces(gd).forEach(function (trace) { trace.customdata = pending.slice(); });
            // an area under the pointer gets its new figures right away
            var open = gd._hoverdata && gd._hoverdata[0];
            if (open && open.location !== undefined && window.dash_clientside.set_props) {
                window.dash_clientside.set_props("map-hover-request", {data: request(open.location, paint)});
            }
        }
        return true;
    }

    function paintWhenReady(paint, tries) {
        var gd = document.querySelector("#map .js-plotly-plot");
        if (apply(gd, paint)) { return; }
        if (tries > 0) { setTimeout(function () { paintWhenReady(paint, tries - 1); }, 100); }
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.caregap = Object.assign({}, window.dash_clientside.caregap, {
        paintMap: function (paint) {
            if (paint) { paintWhenReady(paint, 100); }
            return window.dash_clientside.no_update;
        },
        requestHover: function (hoverData) {
            var gd = document.querySelector("#map .js-plotly-plot");
            var paint = gd && gd.__caregapPaint, point = hoverData && hoverData.points && hoverData.points[0];
            if (!paint || !point || !gd._fullData) { return window.dash_clientside.no_update; }
            var shown = traces(gd)[0].customdata;
            // figures already here (first view, or fetched before) need no request
            if (shown && shown[point.pointIndex] !== paint.pending) { return window.dash_clientside.no_update; }
            return request(point.location, paint);
        },
        hoverFigures: function (hover) {
            var gd = document.querySelector("#map .js-plotly-plot");
            var paint = gd && gd.__caregapPaint;
            if (hover && paint && hover.query === paint.query) {
                traces(gd).forEach(function (trace) {
                    if (trace.customdata) { trace.customdata[hover.i] = hover.text; }
                });
                // the open label shows the figures once the pointer "moves": replay its last position
                var map = mapOf(gd), last = gd.__caregapPointer;
                if (map && last) {
                    if (window.Plotly && window.Plotly.Fx) { window.Plotly.Fx.unhover(gd); }
                    map.getCanvas().dispatchEvent(new MouseEvent("mousemove", {
                        clientX: last.x, clientY: last.y, bubbles: true}));
                }
            }
            return window.dash_clientside.no_update;
        }
    });

    // a new basemap style drops added layers: paint again once the style is back
    setInterval(function () {
        var gd = document.querySelector("#map .js-plotly-plot"), map = mapOf(gd);
        if (map && gd.__caregapPaint && map.isStyleLoaded() && !map.getLayer(FILL)) { apply(gd, gd.__caregapPaint); }
    }, 500);
})();
