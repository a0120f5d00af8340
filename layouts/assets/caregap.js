window.dash_clientside = Object.assign({}, window.dash_clientside, {
    caregap: {
        syncAddressBar: function (query) {
            var target = window.location.pathname + (query ? "?" + query : "");
            if (target !== window.location.pathname + window.location.search) {
                window.history.replaceState(null, "", target);
            }
            return window.dash_clientside.no_update;
        },
        // Target-ratio sliders (see callbacks/ratios.py): unset, they follow the milestones for the year
        // (`plans`: rule → year → service → ratio, from the core); moved, they hold the value in the
        // years the scope chosen beside them names (only this year, from this year on, all years).
        syncRatios: function (year, between, sliderValues, resets, scopes, overrides, plans, steps) {
            var dc = window.dash_clientside, context = dc.callback_context, cg = dc.caregap;
            var services = context.inputs_list[2].map(function (input) { return input.id.service; });
            year = Number(year);
            var trigger = null;
            if (context.triggered && context.triggered.length) {
                var prop = context.triggered[0].prop_id, id = prop.slice(0, prop.lastIndexOf("."));
                trigger = id.charAt(0) === "{" ? JSON.parse(id) : id;
            }
            var next = {};
            Object.keys(overrides || {}).forEach(function (s) { next[s] = cg.settingsOf(overrides[s]); });
            // the id types of the sliders and the scope choices, as the page names them
            var sliderType = services.length ? context.inputs_list[2][0].id.type : null;
            var scopeType = services.length ? context.inputs_list[4][0].id.type : null;
            var movedSlider = trigger && typeof trigger === "object" && trigger.type === sliderType;
            var scoped = trigger && typeof trigger === "object" && trigger.type === scopeType;
            if (trigger && typeof trigger === "object") {
                var at = services.indexOf(trigger.service), s = trigger.service;
                if (movedSlider && sliderValues[at]) {
                    next[s] = cg.withSetting(next[s] || [], Number(sliderValues[at]), scopes[at], year);
                } else if (scoped && next[s]) {
                    next[s] = cg.rescoped(next[s], year, scopes[at]);
                } else if (!movedSlider && !scoped && resets[at]) {
                    delete next[s];
                }
            }
            var stored = {};
            Object.keys(next).forEach(function (s) { stored[s] = cg.storedSettings(next[s]); });
            var plan = plans[between] || {};
            var values = services.map(function (s) { return cg.scenarioRatio(plan, s, year, next[s]); });
            var unchanged = JSON.stringify(stored) === JSON.stringify(overrides || {});
            return [
                // a moved slider already shows its value: setting it again would fight further key presses
                movedSlider ? dc.no_update : values,
                services.map(function (s) { return !(s in next); }),
                // the overrides travel (and `update` runs) only when they changed
                unchanged ? dc.no_update : stored,
                services.map(function (s) { return cg.rampText(plan, steps, s, next[s]); }),
                // a new year shows the scope of the setting that holds in it (none: the choice stays)
                services.map(function (s, i) {
                    var g = trigger === context.inputs_list[0].id && cg.governing(next[s] || [], year);
                    return g && g.scope !== scopes[i] ? g.scope : dc.no_update;
                })
            ];
        },
        // the table shows server-side blocks: after a new view it asks again for the block shown
        refreshTable: function (shown, gridId) {
            if (shown && window.dash_ag_grid && document.getElementById(gridId)) {
                window.dash_ag_grid.getApiAsync(gridId).then(function (api) { api.refreshInfiniteCache(); });
            }
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
    // The tabs above the table render with tabindex -1 (a roving tabindex whose active tab never gets 0),
    // so Tab could not reach them: each tab is made a stop of its own.
    function focusableTabs() {
        document.querySelectorAll('[role="tab"][tabindex="-1"]').forEach(function (tab) {
            tab.setAttribute("tabindex", "0");
        });
    }
    new MutationObserver(function () { nameSliders(); focusableTabs(); }).observe(
        document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex"]});
})();

// "1 : 2.500" (de) / "1 : 2,500" (en), as layouts/controls.ratio_text writes it on the server
window.dash_clientside.caregap.ratioText = function (value, lang) {
    var digits = value >= 100 ? 0 : 2;
    return "1 : " + Number(value).toLocaleString(lang === "en" ? "en-GB" : "de-DE",
                                                 {minimumFractionDigits: digits, maximumFractionDigits: digits});
};

// A service's settings as the ratio store keeps them (dashboard.view.model.Assumptions.ratios_json):
// one as a number (all years) or {ratio, scope, year}, several as a list of those; read as a list of
// {ratio, scope, year}.
window.dash_clientside.caregap.settingsOf = function (value) {
    return (Array.isArray(value) ? value : [value]).map(function (v) {
        return typeof v === "object" && v !== null ? v : {ratio: v, scope: "all", year: null};
    });
};
window.dash_clientside.caregap.storedSettings = function (settings) {
    var items = settings.slice().sort(function (a, b) {
        return (a.year === null ? -1 : a.year) - (b.year === null ? -1 : b.year); })
        .map(function (o) { return o.scope === "all" ? o.ratio : {ratio: o.ratio, scope: o.scope, year: o.year}; });
    return items.length === 1 ? items[0] : items;
};

// The setting that holds in `year`, as dashboard.ratios.governing picks it: one for that year alone,
// else the latest from a year on up to it, else one for all years; null for none.
window.dash_clientside.caregap.governing = function (settings, year) {
    var only = null, since = null, every = null;
    settings.forEach(function (o) {
        if (o.scope === "only" && o.year === year) { only = o; }
        if (o.scope === "from" && o.year <= year && (!since || o.year > since.year)) { since = o; }
        if (o.scope === "all") { every = o; }
    });
    return only || since || every;
};

// The settings after a ratio is set in `year` with `scope` (dashboard.ratios.with_setting).
window.dash_clientside.caregap.withSetting = function (settings, ratio, scope, year) {
    var kept = settings.filter(function (o) {
        return scope === "from" ? o.year === null || o.year < year : scope === "only" && o.year !== year;
    });
    return kept.concat([{ratio: ratio, scope: scope, year: scope === "all" ? null : year}]);
};

// The setting that holds in `year` given another scope (dashboard.ratios.rescoped).
window.dash_clientside.caregap.rescoped = function (settings, year, scope) {
    var cg = window.dash_clientside.caregap, g = cg.governing(settings, year);
    return g ? cg.withSetting(settings.filter(function (o) { return o !== g; }), g.ratio, scope, year) : settings;
};

// The ratio of `service` in `year` as dashboard.ratios.scenario_ratio gives it: the scenario's setting
// that holds then, else the dataset's (`plan`: year → service → ratio under the view's rule).
window.dash_clientside.caregap.scenarioRatio = function (plan, service, year, settings) {
    var g = window.dash_clientside.caregap.governing(settings || [], year);
    return g ? g.ratio : (plan[String(year)] || {})[service];
};

// The ramp beside the slider, written as dashboard.ratios.ratio_ramp and ramp_text write it
// (`steps`: each service's milestone years, the last year, the language, the mark and the
// separator: controls.ratio_steps).
window.dash_clientside.caregap.rampText = function (plan, steps, service, settings) {
    var cg = window.dash_clientside.caregap, milestones = steps.milestones[service] || [];
    settings = settings || [];
    var points = {};
    milestones.forEach(function (y) { points[y] = true; });
    settings.forEach(function (o) {
        points[o.scope === "all" ? Math.min.apply(null, milestones) : o.year] = true;
        if (o.scope === "only" && o.year < steps.last) { points[o.year + 1] = true; }
    });
    var parts = [], previous = null;
    Object.keys(points).map(Number).sort(function (a, b) { return a - b; }).forEach(function (y) {
        var value = cg.scenarioRatio(plan, service, y, settings), changed = !!cg.governing(settings, y);
        if (previous === null || previous.value !== value || previous.changed !== changed) {
            parts.push(y + (changed ? steps.mark : "") + " " + cg.ratioText(value, steps.lang));
        }
        previous = {value: value, changed: changed};
    });
    return parts.join(steps.join);
};

// Presentation mode's keyboard shortcuts: ←/→ year, ↑/↓ target ratio of the service shown, S next
// service. The widgets are changed through dash_clientside.set_props, as if the presenter had moved
// them; keys typed into a field or on a slider keep their own meaning.
// `barId`: the id of the shortcut bar, whose data attributes name the widgets (layouts/page.present_bar).
window.dash_clientside.caregap.installShortcuts = function (present, barId) {
    if (!window.caregapShortcuts) {
        document.addEventListener("keydown", presentationKey);
    }
    window.caregapShortcuts = barId;
    return window.dash_clientside.no_update;
};

function presentationKey(event) {
    var bar = document.getElementById(window.caregapShortcuts);
    var root = bar && document.getElementById(bar.dataset.root);
    if (!root || !root.classList.contains("presentation") || event.altKey || event.ctrlKey || event.metaKey) {
        return;
    }
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [role=slider], [role=combobox]")) {
        return;
    }
    var set = window.dash_clientside.set_props;
    var radios = Array.from(document.querySelectorAll("#" + bar.dataset.service + " input[type=radio]"));
    var checked = radios.findIndex(function (r) { return r.checked; });
    var service = checked >= 0 ? radios[checked].value : null;
    function thumb(element) { return element && element.querySelector("[role=slider]"); }
    function clamp(v, t) {
        return Math.min(Number(t.getAttribute("aria-valuemax")), Math.max(Number(t.getAttribute("aria-valuemin")), v));
    }
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        var year = thumb(document.getElementById(bar.dataset.year));
        if (!year) { return; }
        set(bar.dataset.year, {value: clamp(Number(year.getAttribute("aria-valuenow")) +
                                           (event.key === "ArrowRight" ? 1 : -1), year)});
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        var sliders = Array.from(document.querySelectorAll(".dash-slider-container")).filter(function (e) {
            try { return JSON.parse(e.id).type === bar.dataset.ratioType; } catch (err) { return false; }
        });
        var slider = sliders.find(function (e) { return JSON.parse(e.id).service === service; }) || sliders[0];
        var ratio = thumb(slider);
        if (!ratio) { return; }
        var step = Number(bar.dataset.ratioStep) * (event.key === "ArrowUp" ? 1 : -1);
        set(JSON.parse(slider.id), {value: clamp(Number(ratio.getAttribute("aria-valuenow")) + step, ratio)});
    } else if ((event.key === "s" || event.key === "S") && radios.length) {
        set(bar.dataset.service, {value: radios[(checked + 1) % radios.length].value});
    } else {
        return;
    }
    event.preventDefault();
}

// A number typed into a slider's box applies when the box loses focus; Enter does the same, as in the
// cost boxes (the focus stays with the box).
document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key === "Enter" && box && box.matches && box.matches(".dash-slider-container input[type=number]")) {
        box.blur();
        box.focus();
    }
});
