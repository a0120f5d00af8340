"""CareGap web app: `python app.py [--host H] [--port P] [--dataset ID|DIR]`.

Behind a WSGI server (several workers sharing one scenario database via DATABASE_URL):
`gunicorn -w 4 "app:create_server()"`, dataset from CAREGAP_DATASET (default dresden).
"""

from __future__ import annotations

import argparse
import os

from layouts.page import create_app


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
