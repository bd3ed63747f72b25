"""Benchmark: building a 25-article compilation of Het beste van Podium.

Generates 25 authors with portraits and 25 published Dutch articles of about 900 words (the
middle of the usual 500–1,500) in a throwaway SQLite database, then builds the proof PDF (A4),
the printer's PDF (trim size, bleed, crop marks) and the EPUB, each in a fresh process, and
records wall time and peak memory (max RSS) of each. Target: each PDF in at most 15 s on the
2-core machine. Writes bench/results/bestof.md.

    make bench-bestof
    BENCH_ARTICLES=10 BENCH_WORDS=1500 make bench-bestof
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = len(sys.argv) > 2 and sys.argv[1] == "--format"
if not CHILD:
    os.environ["PODIUM_VAR_DIR"] = tempfile.mkdtemp(prefix="podium-bench-bestof-")
os.environ["PODIUM_EMBEDDED"] = "1"
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from podium.accounts.models import User  # noqa: E402
from podium.articles.models import Article  # noqa: E402
from podium.bestof import services  # noqa: E402
from podium.bestof.book import prepare_book  # noqa: E402
from podium.bestof.models import Compilation  # noqa: E402
from podium.bestof.sample import sample_body, sample_portrait  # noqa: E402

N_ARTICLES = int(os.environ.get("BENCH_ARTICLES", "25"))
WORDS = int(os.environ.get("BENCH_WORDS", "900"))
RESULTS = Path(__file__).resolve().parent / "results" / "bestof.md"
TARGET_SECONDS = 15


def setup() -> int:
    import datetime

    from podium.accounts import roles

    call_command("migrate", verbosity=0)
    editor = User.objects.create_user(
        "bench-editor@example.org", "x" * 12, display_name="Eva Smit", role=roles.EDITORS
    )
    editor = User.objects.get(pk=editor.pk)
    now = timezone.now()
    ids = []
    for i in range(N_ARTICLES):
        author = User.objects.create_user(
            f"auteur{i}@example.org",
            "x" * 12,
            display_name=f"Auteur {i} de Vries",
            bio=f"Auteur {i} de Vries is adviseur en schrijft over werk, organisatie en leiderschap.",
            job_title="Adviseur",
            organisation="De Vries & Partners",
        )
        author.photo.save(f"a{i}.jpg", ContentFile(sample_portrait(i)), save=True)
        body = sample_body(WORDS, seed=i)
        article = Article.objects.create(
            author=author,
            title=f"Wat de werkvloer ons leert over verandering, deel {i + 1}",
            slug=f"bench-{i}",
            lead="Wie vandaag een team leidt, merkt dat de verwachtingen sneller veranderen dan de organisatie.",
            body=body,
            state=Article.State.PUBLISHED,
            word_count=len(body.split()),
            char_count=len(body),
            submitted_at=now - datetime.timedelta(days=i + 1),
            published_at=now - datetime.timedelta(days=i + 1),
        )
        ids.append(article.pk)
    today = timezone.localdate()
    compilation = services.create_compilation(
        by=editor,
        title="Het beste van Podium",
        subtitle="Benchmark",
        foreword="Voorwoord.\n\nTweede alinea.",
        period_start=today - datetime.timedelta(days=90),
        period_end=today,
        printer="Drukkerij De Bij, Utrecht",  # as a compilation that goes to print has
    )
    services.set_articles(compilation=compilation, article_ids=ids, by=editor)
    return compilation.pk


def child(fmt: str, pk: int, out: Path) -> None:
    started = time.perf_counter()
    book = prepare_book(Compilation.objects.get(pk=pk))
    warnings = services.render(book, fmt, out)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    pages = blank = None
    if fmt != "epub":
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
        pages = next(
            (int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), None
        )
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        blank = sum(1 for page in text.split("\f")[:-1] if not page.strip())
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "rss_mb": rss_mb,
                "bytes": out.stat().st_size,
                "pages": pages,
                "blank": blank,
                "warnings": len(warnings),
            }
        )
    )


def main() -> None:
    if CHILD:
        child(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
        return
    pk = setup()
    workdir = Path(os.environ["PODIUM_VAR_DIR"])
    rows = []
    for fmt in ("a4", "trim", "epub"):
        out = workdir / f"bench.{'epub' if fmt == 'epub' else 'pdf'}"
        result = subprocess.run(
            [sys.executable, __file__, "--format", fmt, str(pk), str(out)],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ.copy(),
        )
        data = json.loads(result.stdout.strip().splitlines()[-1])
        rows.append((fmt, data))
        print(
            f"{fmt:5} {data['seconds']:6.1f} s wall  {data['cpu']:6.1f} s CPU  {data['rss_mb']:6.0f} MB  {data['pages'] or '-'} pages"
        )
    load = os.getloadavg()
    lines = [
        "# Benchmark: building Het beste van Podium",
        "",
        f"`make bench-bestof` — {N_ARTICLES} articles of about {WORDS} words, each author with an 800 px portrait; "
        "each format built in a fresh process (includes Django start-up, reading the compilation and rendering).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}. Target: each PDF ≤ {TARGET_SECONDS} s.",
        "",
        "Rendering is single-threaded, so on a busy machine wall time exceeds CPU time; the CPU time is",
        "what the build costs on an idle core.",
        "",
        "Blank pages: pages without text (the printer's PDF keeps up to three before the back cover",
        "to make whole sheets of four; the proof has none).",
        "",
        "| format | wall time | CPU time | peak memory (max RSS) | pages | blank pages | file size | warnings |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    names = {
        "a4": "proof PDF (A4)",
        "trim": "printer's PDF (210×280 mm + 3 mm bleed, crop marks)",
        "epub": "EPUB 3",
    }
    for fmt, d in rows:
        verdict = (
            "" if fmt == "epub" else (" ✓" if d["seconds"] <= TARGET_SECONDS else " ✗ over target")
        )
        lines.append(
            f"| {names[fmt]} | {d['seconds']:.1f} s{verdict} | {d['cpu']:.1f} s | {d['rss_mb']:.0f} MB | {d['pages'] or '–'} | "
            f"{'–' if d.get('blank') is None else d['blank']} | {d['bytes'] / 1024:.0f} KiB | {d['warnings']} |"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"Results written to {RESULTS}")


if __name__ == "__main__":
    main()
