"""CareGap web app: `python app.py [--host H] [--port P] [--dataset ID|DIR]`.

Behind a WSGI server (several workers sharing one scenario database via DATABASE_URL):
`gunicorn -w 4 "app:create_server()"`, dataset from CAREGAP_DATASET (default dresden).

The app factory lives here, with the entry points: it builds the Dash app from `layouts`, adds the
geometry route and registers the `callbacks`.
"""

from __future__ import annotations

import argparse
import json
import os
from urllib.parse import urlsplit

import dash
from dash import no_update
from flask import Response, abort, has_request_context, request

from dashboard.dataset import bundled_ids
from dashboard.loaded import loaded
from dashboard.userdata import all_datasets
from dashboard.webgeo import web_geometry
from dashboard.importer.safety import MB, Limits
import callbacks  # noqa: F401  (importing the package registers every callback with Dash)
from callbacks.page import render_page
from layouts.page import ASSETS, shell


def initial_layout():
    """The shell with the page of the address the browser is at already built in, so the first map
    needs no callback round trip. The page's script fetches the layout; the request's Referer names
    that address. Without it (or if the page cannot be built here) the page callback builds it."""
    if not has_request_context() or not request.referrer:
        return shell()
    page_address = urlsplit(request.referrer)
    if page_address.netloc != request.host:
        return shell()
    search = f"?{page_address.query}" if page_address.query else ""
    try:
        page, query = render_page(page_address.path, search)
    except Exception:  # noqa: BLE001 - the page callback builds it again and reports the problem as usual
        return shell()
    hash_ = f"#{page_address.fragment}" if page_address.fragment else ""
    return shell(page, None if query is no_update else query,
                 {"pathname": page_address.path, "search": search, "hash": hash_, "href": request.referrer})


# the largest request the import page needs: every upload at once, base64 in JSON, and the page's state;
# Flask refuses a longer body (413) from its Content-Length, before reading or decoding any of it
MAX_REQUEST_BYTES = (Limits().max_total_bytes + 2) // 3 * 4 + MB


def create_app(dataset_ref: str = "dresden") -> dash.Dash:
    default = loaded(dataset_ref)  # fails early, with the validation report, if the data is bad
    # datasets a URL may name: the bundled ones and the one this server was started with (by id, never a path)
    datasets = {i: i for i in bundled_ids()}
    datasets[default.dataset.id] = dataset_ref
    app = dash.Dash(__name__, title="CareGap", assets_folder=str(ASSETS), compress=True,
                    suppress_callback_exceptions=True,  # Bootstrap theme served from assets, never a CDN
                    update_title=None)
    app.layout = initial_layout
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.server.config["CAREGAP_DATASETS"] = datasets
    app.server.config["CAREGAP_DEFAULT"] = default.dataset.id

    @app.server.route("/geo/<dataset_id>/<level>.geojson")
    def geometry(dataset_id: str, level: str):
        known = all_datasets(datasets)
        if dataset_id not in known:
            abort(404)
        item = loaded(known[dataset_id])
        if level not in item.dataset.settings.level_names:
            abort(404)
        body = json.dumps(web_geometry(item.dataset, level), separators=(",", ":"))
        response = Response(body, mimetype="application/json")  # compressed like every JSON answer
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the CareGap dashboard.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument("--dataset", default="dresden", help="bundled dataset id or dataset folder")
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (reload, error overlay)")
    args = parser.parse_args()
    app = create_app(args.dataset)
    app.run(host=args.host, port=args.port, debug=args.debug)


def create_server():
    """The Flask server of the app, for a WSGI server."""
    return create_app(os.environ.get("CAREGAP_DATASET", "dresden")).server


if __name__ == "__main__":
    main()
