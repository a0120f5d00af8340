window.dash_clientside = Object.assign({}, window.dash_clientside, {
    caregap: {
        syncAddressBar: function (query) {
            var target = window.location.pathname + (query ? "?" + query : "");
            if (target !== window.location.pathname + window.location.search) {
                window.history.replaceState(null, "", target);
            }
            return window.dash_clientside.no_update;
        },
        // the table shows server-side blocks: after a new view it asks again for the block shown
        refreshTable: function (query, tab, gridId) {
            if (tab === "tab-table" && window.dash_ag_grid && document.getElementById(gridId)) {
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
