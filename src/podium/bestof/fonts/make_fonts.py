"""Rebuild the compilation's fonts from the @fontsource npm packages.

Fontsource ships each face as unicode-range subsets; WeasyPrint mixes up glyphs when one
family is split over several @font-face rules, so the latin and latin-ext subsets are merged
into one TrueType file per style here, and U+2010/U+2011 (hyphen, non-breaking hyphen) are mapped to
the hyphen glyph, which the subsets lack and which WeasyPrint puts at hyphenated line ends.

    cd /tmp && npm pack @fontsource/crimson-pro@5.3.0 @fontsource/source-sans-3@5.3.0
    mkdir crimson sans && tar xzf fontsource-crimson-pro-5.3.0.tgz -C crimson \
        && tar xzf fontsource-source-sans-3-5.3.0.tgz -C sans
    python make_fonts.py /tmp/crimson/package /tmp/sans/package
"""

import sys
import tempfile
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
FACES = {
    "crimson-pro": ["400-normal", "400-italic", "600-normal", "600-italic", "700-normal"],
    "source-sans-3": ["400-normal", "400-italic", "600-normal", "700-normal"],
}


def build(package: Path, name: str, style: str) -> None:
    parts = [
        package / "files" / f"{name}-{subset}-{style}.woff2" for subset in ("latin", "latin-ext")
    ]
    tmp = []
    workdir = Path(tempfile.mkdtemp(prefix="podium-fonts-"))
    for part in parts:
        font = TTFont(part)
        font.flavor = None
        out = workdir / (part.stem + ".ttf")
        font.save(out)
        tmp.append(str(out))
    merged = Merger().merge(tmp)
    hyphen = merged.getBestCmap()[0x2D]
    for table in merged["cmap"].tables:
        if table.isUnicode():
            table.cmap.setdefault(0x2010, hyphen)
            table.cmap.setdefault(0x2011, hyphen)
    # Plain TrueType: WeasyPrint decompresses WOFF2 on every render, which costs seconds.
    merged.flavor = None
    merged.save(HERE / f"{name}-{style}.ttf")


if __name__ == "__main__":
    for package_dir, name in zip(sys.argv[1:3], FACES, strict=True):
        for style in FACES[name]:
            build(Path(package_dir), name, style)
