"""Benchmark: every variant of a 12-megapixel photograph (make bench-images).

Draws a 4000×3000 photo-like JPEG (smooth gradients, shapes and fine grain, about as hard to
compress as a camera's picture), then, each in a fresh process so the figures are its own:

- ``clean``: the upload pipeline (checks, decode, orientation, sRGB, re-encode) of `processing`;
- ``variants``: every variant `variants.make_variants` writes (AVIF, WebP and JPEG at every width,
  the 16:9 and square crops, the 1200×627 share crop), from the cleaned original.

Records CPU seconds (user + system, every thread) and peak memory (max RSS) of each; the target
for the variants is under 3 s of CPU and under 300 MB. Writes bench/results/images.md.

    make bench-images
"""

from __future__ import annotations

import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "images.md"
TARGET_CPU_SECONDS = 3.0
TARGET_MEMORY_MB = 300
WIDTH, HEIGHT = 4000, 3000


def draw_photo() -> bytes:
    import random

    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(12)
    sky = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    base = Image.merge(
        "RGB",
        (
            sky.point(lambda v: 60 + v // 3),
            sky.point(lambda v: 110 + v // 4),
            sky.point(lambda v: 200 - v // 3),
        ),
    )
    draw = ImageDraw.Draw(base)
    for _ in range(160):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        w, h = rng.randrange(80, 900), rng.randrange(80, 700)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x, y, x + w, y + h), fill=colour)
    base = base.filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise((WIDTH, HEIGHT), 28).convert("RGB")
    photo = Image.blend(base, grain, 0.12)
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=92)
    return out.getvalue()


def child(step: str, path: str) -> None:
    """Run one step and print its CPU seconds and peak memory as JSON."""
    data = Path(path).read_bytes()
    started = time.process_time()
    wall = time.perf_counter()
    if step == "clean":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
        os.environ["PODIUM_EMBEDDED"] = "1"
        os.environ.setdefault("PODIUM_VAR_DIR", tempfile.mkdtemp(prefix="podium-bench-images-"))
        import django

        django.setup()
        from pillow_heif import register_heif_opener

        from podium.images.processing import clean_picture_bytes

        register_heif_opener()
        picture = clean_picture_bytes(data, name="photo.jpg")
        produced = {"bytes": len(picture.content), "files": 1}
    else:
        from podium.images.variants import make_variants

        made = list(make_variants(data, focal_x=0.4, focal_y=0.35, lossless=False))
        produced = {"bytes": sum(len(v.content) for v in made), "files": len(made)}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "cpu": time.process_time() - started,
                "wall": time.perf_counter() - wall,
                "rss_mb": usage.ru_maxrss / 1024,
                **produced,
            }
        )
    )


def run(step: str, path: Path) -> dict[str, float]:
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="podium-bench-images-"))
    photo = workdir / "photo.jpg"
    photo.write_bytes(draw_photo())
    clean = run("clean", photo)
    # The variants start from what the upload stored: the cleaned original.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
    os.environ["PODIUM_EMBEDDED"] = "1"
    os.environ.setdefault("PODIUM_VAR_DIR", str(workdir))
    import django

    django.setup()
    from podium.images.processing import clean_picture_bytes

    original = workdir / "original.jpg"
    original.write_bytes(clean_picture_bytes(photo.read_bytes(), name="photo.jpg").content)
    runs = [run("variants", original) for _ in range(3)]
    best = min(runs, key=lambda r: r["cpu"])
    worst_rss = max(r["rss_mb"] for r in runs)
    ok = best["cpu"] < TARGET_CPU_SECONDS and worst_rss < TARGET_MEMORY_MB
    cpu_name = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lines = [
        "# Picture variants (make bench-images)",
        "",
        f"A {WIDTH}×{HEIGHT} photo-like JPEG ({photo.stat().st_size / 1_048_576:.1f} MB), each step in a fresh process.",
        f"Machine: {cpu_name}, {os.cpu_count()} cores; Python {platform.python_version()}.",
        "",
        "| step | CPU s | wall s | peak memory MB | files | bytes written |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| upload: check, decode, re-encode | {clean['cpu']:.2f} | {clean['wall']:.2f} | {clean['rss_mb']:.0f} | 1 | {clean['bytes']:,} |",
    ]
    for number, result in enumerate(runs, start=1):
        lines.append(
            f"| all variants, run {number} | {result['cpu']:.2f} | {result['wall']:.2f} | {result['rss_mb']:.0f} | {result['files']:.0f} | {result['bytes']:,.0f} |"
        )
    lines += [
        "",
        f"Target for all variants: under {TARGET_CPU_SECONDS:.0f} s of CPU and under {TARGET_MEMORY_MB} MB.",
        f"Result: {'PASS' if ok else 'FAIL'} (best run {best['cpu']:.2f} s CPU, highest peak {worst_rss:.0f} MB).",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
