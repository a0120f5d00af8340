"""Fetch MapLibre GL JS's prebuilt browser files into layouts/mapview/vendor/.

    python -m layouts.mapview.build

Runs `npm pack maplibre-gl@<MAPLIBRE_VERSION>` (the npm client only downloads the package; nothing
is installed or built) and copies `dist/maplibre-gl.js`, `dist/maplibre-gl.css` and the BSD-3
licence. The source-map comment is dropped because the map file is not shipped. Our own component
(`area_map.js`) is plain JavaScript loaded as it is, so there is nothing else to build. The
output is committed; run this only to change the MapLibre version.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path

MAPLIBRE_VERSION = "5.24.1"  # the last major with a single-file UMD bundle (6.x ships ES modules only)
VENDOR = Path(__file__).with_name("vendor")
FILES = {"dist/maplibre-gl.js": "maplibre-gl.js", "dist/maplibre-gl.css": "maplibre-gl.css",
         "LICENSE.txt": "LICENSE-maplibre.txt"}


def build() -> list[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"maplibre-gl@{MAPLIBRE_VERSION}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        archive = next(Path(tmp).glob("maplibre-gl-*.tgz"))
        VENDOR.mkdir(exist_ok=True)
        written = []
        with tarfile.open(archive) as tar:
            for member, name in FILES.items():
                text = tar.extractfile(f"package/{member}").read().decode("utf-8")
                lines = [line for line in text.splitlines() if not line.startswith("//# sourceMappingURL=")]
                target = VENDOR / name
                target.write_text("\n".join(lines) + "\n", encoding="utf-8")
                written.append(target)
    return written


if __name__ == "__main__":
    for path in build():
        print(f"{path} ({path.stat().st_size:,} bytes)")
