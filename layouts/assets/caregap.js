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
