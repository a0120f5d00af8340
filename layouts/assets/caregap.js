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
        // (`plans`: rule → year → service → ratio, from the core); moved, they hold the value.
        syncRatios: function (year, between, sliderValues, resets, overrides, plans) {
            var dc = window.dash_clientside, context = dc.callback_context;
            var services = context.inputs_list[2].map(function (input) { return input.id.service; });
            var trigger = null;
            if (context.triggered && context.triggered.length) {
                var prop = context.triggered[0].prop_id, id = prop.slice(0, prop.lastIndexOf("."));
                trigger = id.charAt(0) === "{" ? JSON.parse(id) : id;
            }
            var next = Object.assign({}, overrides || {});
            // the id types of the sliders and the reset buttons, as the page names them
            var sliderType = services.length ? context.inputs_list[2][0].id.type : null;
            var movedSlider = trigger && typeof trigger === "object" && trigger.type === sliderType;
            if (trigger && typeof trigger === "object") {
                var at = services.indexOf(trigger.service);
                if (movedSlider && sliderValues[at]) {
                    next[trigger.service] = Number(sliderValues[at]);
                } else if (!movedSlider && resets[at]) {
                    delete next[trigger.service];
                }
            }
            var plan = (plans[between] || {})[String(year)] || {};
            var values = services.map(function (s) { return s in next ? next[s] : plan[s]; });
            var unchanged = JSON.stringify(next) === JSON.stringify(overrides || {});
            return [
                // a moved slider already shows its value: setting it again would fight further key presses
                movedSlider ? dc.no_update : values,
                services.map(function (s) { return !(s in next); }),
                // the overrides travel (and `update` runs) only when they changed
                unchanged ? dc.no_update : next
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
    new MutationObserver(nameSliders).observe(document.documentElement, {childList: true, subtree: true});
})();
