"""Data at scale for benchmarks and trials: `podium seed --articles 100000 --authors 5000
--subscribers 100000`.

Everything is written with bulk inserts in batches (no services, no e-mails, no tasks): authors
with complete profiles, articles in every state (mostly published over the last three years, a few
scheduled for later) with Dutch-like text (a lead, paragraphs, subheadings that stand alone on a
line, often a question), one to three topics each, home page placements, newsletter and
compilation picks, newsletter subscribers, and the search index for the published articles. The
text is built from a fixed vocabulary by a seeded random generator: the same arguments give the
same data. Running it again adds more (slugs and addresses carry a tag of their own run).

With `header_images` (`--header-images 16`), a handful of distinct pictures are drawn once and
taken through the images app's own pipeline (cleaned and stored like an upload, the variants
made by the variants task's service), and every article of the run points at one of them: the
cards and article pages then render the production `<picture>` markup at the price of a few
pictures, not one per article."""

from __future__ import annotations

import datetime
import io
import random
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles import related, search
from podium.articles.models import Article, Revision
from podium.core import freshness
from podium.demo.pictures import header_png
from podium.editorial.models import Pick, Placement
from podium.images.models import Image
from podium.images.processing import clean_picture_bytes
from podium.images.services import ImageDetails, generate_variants, store_picture
from podium.newsletter.models import Subscriber
from podium.topics.models import Topic

TOPICS = [
    "Arbeidsmarkt",
    "Leiderschap",
    "Financiën",
    "Zorg",
    "Logistiek",
    "Duurzaamheid",
    "Informatiebeveiliging",
    "Digitalisering",
    "Onderwijs",
    "Marketing",
    "Inkoop",
    "Recht",
]
FIRST = [
    "Anne",
    "Bram",
    "Carmen",
    "Daan",
    "Eva",
    "Fleur",
    "Gijs",
    "Hanna",
    "Iris",
    "Jeroen",
    "Karin",
    "Lars",
    "Maaike",
    "Niels",
    "Olga",
    "Pieter",
    "Quinten",
    "Roos",
    "Sanne",
    "Thijs",
    "Ursula",
    "Vincent",
    "Wendy",
    "Yara",
    "Zeynep",
    "Mohamed",
    "Fatima",
    "Sven",
    "Lotte",
    "Ruben",
]
LAST = [
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "Yilmaz",
    "El Amrani",
]
JOBS = [
    "adviseur arbeidsmarkt",
    "controller",
    "hoofd HR",
    "CFO",
    "zorgmanager",
    "logistiek directeur",
    "duurzaamheidsmanager",
    "CISO",
    "programmamanager",
    "docent",
    "marketingdirecteur",
    "inkoopadviseur",
    "advocaat",
    "organisatieadviseur",
    "teamleider",
    "bestuurder",
]
ORGS = [
    "Van Dijk & Partners",
    "Zorggroep Midden",
    "Gemeente Utrecht",
    "Noordlicht Logistiek",
    "Hogeschool Rijnland",
    "De Rekenkamer",
    "Bureau Kompas",
    "Stichting Samen",
    "Veldkamp Advies",
    "Atlas Verzekeringen",
    "Groen & Co",
    "Datawerk",
    "Brugman Advocaten",
    "Havenbedrijf Zuid",
]
SUBJECTS = [
    "Veel organisaties",
    "De meeste teams",
    "Leidinggevenden",
    "Medewerkers",
    "Bestuurders",
    "Klanten",
    "Zorgverleners",
    "Leveranciers",
    "Jonge professionals",
    "Financiële afdelingen",
    "Wie vandaag talent zoekt",
    "Een goed team",
    "De markt",
    "Toezichthouders",
    "Opdrachtgevers",
]
VERBS = [
    "onderschatten",
    "zoeken",
    "vergeten",
    "meten",
    "verdienen",
    "vragen om",
    "investeren in",
    "worstelen met",
    "praten over",
    "bouwen aan",
    "kiezen voor",
    "leren van",
    "twijfelen aan",
]
OBJECTS = [
    "de kosten van verloop",
    "een eerlijk gesprek",
    "duidelijke doelen",
    "betere data",
    "de stem van de klant",
    "ruimte om te leren",
    "een realistische planning",
    "hun eigen aannames",
    "de risico's in de keten",
    "vertrouwen in het team",
    "een heldere strategie",
    "digitale vaardigheden",
    "de lange termijn",
    "kleine experimenten",
    "de begroting van volgend jaar",
    "goed werkgeverschap",
]
TAILS = [
    "",
    "",
    "",
    " in een krappe arbeidsmarkt",
    " zonder dat iemand het merkt",
    " terwijl de druk stijgt",
    " sinds de pandemie",
    " op de werkvloer",
    " in de hele sector",
    " als het spannend wordt",
    " en dat kost geld",
    " omdat het moet",
    " voordat het te laat is",
]
OPENERS = [
    "",
    "",
    "",
    "Toch ",
    "Daarom ",
    "In de praktijk ",
    "Eerlijk gezegd ",
    "Steeds vaker ",
    "Uiteindelijk ",
]
HEADINGS = [
    "Wat betekent dit voor uw team?",
    "Waar begint u?",
    "De kosten van niets doen",
    "Wat werkt wel?",
    "Drie lessen uit de praktijk",
    "Waarom dit nu speelt",
    "Een andere blik",
    "Wat vraagt dit van leiders?",
    "De rol van data",
    "Hoe meet u succes?",
    "Kleine stappen",
    "Wat zegt de wet?",
    "Het gesprek aan tafel",
    "Vooruitkijken",
]
TITLE_PATTERNS = [
    "Waarom {s} {v} {o}",
    "{S} {v} {o}: zo doet u het anders",
    "Stop met {o} te negeren",
    "Wat {s} kunnen leren van {o}",
    "{O} is geen luxe",
    "Hoe {s} {o} terugvinden",
]


def _lowerfirst(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass
class TextMaker:
    rng: random.Random

    def sentence(self) -> str:
        r = self.rng
        opener = r.choice(OPENERS)
        subject = r.choice(SUBJECTS)
        if opener:
            subject = _lowerfirst(subject)
        text = f"{opener}{subject} {r.choice(VERBS)} {r.choice(OBJECTS)}{r.choice(TAILS)}."
        return text[0].upper() + text[1:]

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))

    def title(self) -> str:
        r = self.rng
        s, o = _lowerfirst(r.choice(SUBJECTS)), r.choice(OBJECTS)
        title = r.choice(TITLE_PATTERNS).format(
            s=s, S=s[:1].upper() + s[1:], v=r.choice(VERBS), o=o, O=o[:1].upper() + o[1:]
        )
        return title[:110]

    def body(self) -> tuple[str, int]:
        """HTML with paragraphs and two to four subheadings; and its word count."""
        parts, words = [], 0
        for section in range(self.rng.randint(3, 5)):
            if section:
                heading = self.rng.choice(HEADINGS)
                parts.append(f"<h2>{heading}</h2>")
                words += len(heading.split())
            for _ in range(self.rng.randint(2, 3)):
                paragraph = self.paragraph()
                parts.append(f"<p>{paragraph}</p>")
                words += len(paragraph.split())
        return "".join(parts), words


def _state_for(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.90:
        return Article.State.PUBLISHED
    if roll < 0.94:
        return Article.State.SUBMITTED
    if roll < 0.97:
        return Article.State.DRAFT
    if roll < 0.99:
        return Article.State.CHANGES_REQUESTED
    return Article.State.OFFLINE


def seed(
    *,
    articles: int,
    authors: int,
    subscribers: int,
    random_seed: int = 1,
    batch_size: int = 2000,
    header_images: int = 0,
    report: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Add the given numbers of authors, articles and subscribers (see the module docstring)."""
    rng = random.Random(random_seed)
    text = TextMaker(rng)
    tag = secrets.token_hex(2)  # keeps slugs and addresses of this run apart from earlier runs
    now = timezone.now()
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        timings[name] = round(time.perf_counter() - started, 1)
        report(f"{name}: {timings[name]} s")
        started = time.perf_counter()

    topics = [
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in TOPICS
    ]
    editor = _seed_editor(tag)

    # --- Header images (before the articles: a picture's variants announce a change to the
    # articles showing it, and none should yet, or each would queue a share card) ---------------
    pictures = draw_header_images(header_images, by=editor, random_seed=random_seed)
    if pictures:
        lap("header images")

    # --- Authors -------------------------------------------------------------------------------
    users = []
    for i in range(authors):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        job, org = rng.choice(JOBS), rng.choice(ORGS)
        users.append(
            User(
                email=f"auteur{i}.{tag}@seed.podium.example",
                password="!",  # noqa: S106 (an unusable password: these accounts cannot sign in)
                display_name=name,
                slug=f"{slugify(name)}-{tag}{i}",
                job_title=job[:1].upper() + job[1:],
                organisation=org,
                bio=f"{name} is {job} bij {org}.",
                date_joined=now - datetime.timedelta(days=rng.randint(30, 1500)),
            )
        )
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=batch_size)
    users = list(
        User.objects.filter(email__endswith=f".{tag}@seed.podium.example").only(
            "pk", "display_name"
        )
    )
    expertise = User.expertise.through
    expertise.objects.bulk_create(
        [expertise(user_id=u.pk, topic_id=t.pk) for u in users for t in rng.sample(topics, 2)],
        batch_size=batch_size * 5,
    )
    lap("authors")

    # --- Articles ------------------------------------------------------------------------------
    span = 3 * 365 * 24 * 3600
    author_names = {u.pk: u.display_name for u in users}
    topic_names = {t.pk: t.name for t in topics}
    article_topics = Article.topics.through
    search_seconds = 0.0
    made = 0
    for count in _batch_sizes(articles, batch_size):
        rows, chosen = [], []
        for _ in range(count):
            i = made
            made += 1
            state = _state_for(rng)
            title = text.title()
            body, words = text.body()
            created = now - datetime.timedelta(seconds=rng.randint(3600, span))
            published_at = None
            if state in (Article.State.PUBLISHED, Article.State.OFFLINE):
                published_at = created + datetime.timedelta(hours=rng.randint(1, 72))
                if published_at > now:
                    published_at = now - datetime.timedelta(minutes=rng.randint(1, 600))
                if state == Article.State.PUBLISHED and rng.random() < 0.002:
                    published_at = now + datetime.timedelta(
                        hours=rng.randint(1, 240)
                    )  # publish later
            author = rng.choice(users)
            rows.append(
                Article(
                    author_id=author.pk,
                    title=title,
                    slug=f"{slugify(title)[:100]}-{tag}{i}",
                    lead=text.sentence() + " " + text.sentence(),
                    body=body,
                    state=state,
                    word_count=words,
                    char_count=len(body),
                    created_at=created,
                    updated_at=published_at or created,
                    submitted_at=created if state != Article.State.DRAFT else None,
                    published_at=published_at,
                    # Round-robin, not from `rng`: the text stays the same with or without pictures.
                    header_image_id=pictures[i % len(pictures)] if pictures else None,
                )
            )
            chosen.append(rng.sample(list(topic_names), rng.randint(1, 3)))
        with transaction.atomic():
            created_rows = Article.objects.bulk_create(rows)
            if not all(a.pk for a in created_rows):  # backends without RETURNING on bulk inserts
                slugs = [a.slug for a in rows]
                by_slug = dict(Article.objects.filter(slug__in=slugs).values_list("slug", "pk"))
                for a in rows:
                    a.pk = by_slug[a.slug]
            article_topics.objects.bulk_create(
                [
                    article_topics(article_id=a.pk, topic_id=t)
                    for a, ts in zip(rows, chosen, strict=True)
                    for t in ts
                ]
            )
            Revision.objects.bulk_create(
                [
                    Revision(
                        article_id=a.pk,
                        number=1,
                        kind=Revision.Kind.SUBMISSION,
                        title=a.title,
                        lead=a.lead,
                        body=a.body,
                        created_by_id=a.author_id,
                        created_at=a.submitted_at or now,
                    )
                    for a in rows
                    if a.state in (Article.State.SUBMITTED, Article.State.CHANGES_REQUESTED)
                ]
            )
            t0 = time.perf_counter()
            search.write_documents(
                [
                    (
                        a.pk,
                        a.published_at,
                        search.document_for(
                            title=a.title,
                            lead=a.lead,
                            body_html=a.body,
                            author=author_names[a.author_id],
                            topics=[topic_names[t] for t in ts],
                            topic_ids=ts,
                        ),
                    )
                    for a, ts in zip(rows, chosen, strict=True)
                    if a.state == Article.State.PUBLISHED and a.published_at is not None
                ]
            )
            search_seconds += time.perf_counter() - t0
        report(f"  {made:,} articles")
    timings["search index (included)"] = round(search_seconds, 1)
    report(f"search index (part of the articles): {timings['search index (included)']} s")
    lap("articles")

    # --- "Read more" of every publication, in bulk (publishing through the services would queue
    # one task each) --------------------------------------------------------------------------------
    related.backfill(batch=batch_size * 4, report=report)
    lap("read more")

    # --- Curation: placements and picks -------------------------------------------------------
    live = list(
        Article.objects.published().order_by("-published_at").values_list("pk", flat=True)[:80]
    )
    with transaction.atomic():
        taken = set(Placement.objects.values_list("article_id", flat=True))
        start = Placement.objects.count()
        placements = [pk for pk in live[:5] if pk not in taken]
        Placement.objects.bulk_create(
            [
                Placement(article_id=pk, position=start + n, placed_by=editor)
                for n, pk in enumerate(placements)
            ]
        )
        Pick.objects.bulk_create(
            [Pick(article_id=pk, kind=Pick.Kind.NEWSLETTER, picked_by=editor) for pk in live[5:35]]
            + [Pick(article_id=pk, kind=Pick.Kind.BESTOF, picked_by=editor) for pk in live[10:35]],
            ignore_conflicts=True,
        )
    lap("placements and picks")

    # --- Subscribers ----------------------------------------------------------------------------
    for count_done, count in _batch_offsets(subscribers, batch_size * 5):
        rows_s = []
        for i in range(count_done, count_done + count):
            roll = rng.random()
            joined = now - datetime.timedelta(seconds=rng.randint(3600, span))
            status = (
                Subscriber.Status.CONFIRMED
                if roll < 0.85
                else Subscriber.Status.PENDING
                if roll < 0.95
                else Subscriber.Status.UNSUBSCRIBED
            )
            rows_s.append(
                Subscriber(
                    email=f"lezer{i}.{tag}@seed.podium.example",
                    status=status,
                    created_at=joined,
                    consent_at=joined,
                    consent_source=Subscriber.Source.FOOTER,
                    consent_text="Ja, stuur mij de nieuwsbrief van Podium.",
                    confirmation_sent_at=joined,
                    confirmed_at=joined + datetime.timedelta(minutes=5)
                    if status != Subscriber.Status.PENDING
                    else None,
                    left_at=now if status == Subscriber.Status.UNSUBSCRIBED else None,
                )
            )
        Subscriber.objects.bulk_create(rows_s)
    lap("subscribers")

    # Fresh planner statistics after bulk inserts: without them SQLite guesses, and picks for
    # example the state index for the desk's "published without review" queue (a scan of every
    # publication) over the handful of auto-published ids.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    lap("planner statistics")

    freshness.readers_see_change_on_commit()
    return {
        "tag": tag,
        "authors": authors,
        "articles": articles,
        "subscribers": subscribers,
        "header_images": len(pictures),
        "seconds": timings,
    }


def draw_header_images(
    count: int, *, by: User, random_seed: int = 1, size: tuple[int, int] = (2000, 1125)
) -> list[int]:
    """Draw `count` distinct header pictures (the demo's abstract illustrations, saved as JPEG like
    the photographs most header images are) and store each through `store_picture`, then make its
    variants at once with the variants task's service: the seed does not wait for a worker, and
    the task it queues finds them made. Returns the pictures' ids."""
    ids = []
    for n in range(count):
        drawn = PILImage.open(io.BytesIO(header_png(f"seed {random_seed} {n}", *size)))
        jpeg = io.BytesIO()
        drawn.convert("RGB").save(jpeg, format="JPEG", quality=88)
        image = store_picture(
            by=by,
            picture=clean_picture_bytes(jpeg.getvalue(), name="illustratie.jpg"),
            details=ImageDetails(
                alt_text=f"Abstracte illustratie met grote cirkels en dunne lijnen ({n + 1})",
                credit="Illustratie: Podium (gegenereerd)",
                licence=Image.Licence.OWN,
            ),
        )
        generate_variants(image.pk)
        ids.append(image.pk)
    return ids


def _batch_sizes(total: int, size: int) -> Iterator[int]:
    for _start, count in _batch_offsets(total, size):
        yield count


def _batch_offsets(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(size, total - start)


def _seed_editor(tag: str) -> User:
    """An editor to place and pick (the first existing one, or a new one without a password)."""
    existing = User.objects.filter(role=roles.EDITORS).order_by("pk").first()
    if existing is not None:
        return existing
    return User.objects.create(
        email=f"redactie.{tag}@seed.podium.example",
        password="!",  # noqa: S106 (unusable: this account cannot sign in)
        display_name="Redactie (seed)",
        role=roles.EDITORS,
    )
