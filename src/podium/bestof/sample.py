"""Plausible Dutch article text and portraits for benchmarks, page proofs and tests (never used
by the product itself). Deterministic for a given seed."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

SENTENCES = [
    "Wie vandaag een team leidt, merkt dat de verwachtingen van medewerkers sneller veranderen dan de organisatie kan bijbenen.",
    "De arbeidsongeschiktheidsverzekering is voor veel zelfstandigen nog altijd een sluitpost op de begroting.",
    "Het ziekteverzuimbeleid van middelgrote werkgevers is vaak een verzameling afspraken die niemand meer helemaal overziet.",
    "Leidinggevenden onderschatten structureel hoeveel tijd een goed gesprek over ontwikkeling werkelijk kost.",
    "In de gezondheidszorg zien we dat de personeelstekorten de kwaliteitsverbeteringsprogramma's langzaam uithollen.",
    "Een verandertraject slaagt zelden op de tekentafel; het slaagt op de werkvloer, waar mensen elke dag keuzes maken.",
    "Onderzoek naar selectie-instrumenten laat al decennia hetzelfde patroon zien: gestructureerde gesprekken voorspellen beter.",
    "De beleidsmedewerkers van gemeenten krijgen steeds vaker te maken met informatievoorzieningsvraagstukken die hun vak overstijgen.",
    "Wat betekent dit voor de dagelijkse praktijk van een afdeling met vijftien mensen en twee vacatures?",
    "Het antwoord is minder spectaculair dan veel adviseurs beweren, maar wel beter uitvoerbaar.",
    "Organisaties die hun kennismanagement serieus nemen, leggen vast wat ze leren en delen het met wie het nodig heeft.",
    "De medezeggenschapsraad verdient een plek aan tafel voordat de besluiten al genomen zijn, niet erna.",
    "Wie de cijfers naast elkaar legt, ziet dat het verloop in het eerste dienstjaar de grootste kostenpost is.",
    "Daarom pleit ik voor een inwerkprogramma dat niet na twee weken stopt, maar een heel jaar doorloopt.",
    "Het is verleidelijk om elke nieuwe technologie als oplossing te omarmen, maar de vraag blijft welk probleem zij oplost.",
    "Klantcontactmedewerkers weten vaak eerder dan het management waar een product tekortschiet.",
    "Een goede projectleider vraagt niet alleen wat er af is, maar vooral wat er in de weg zit.",
    "De werkgeversaansprakelijkheid bij thuiswerken is juridisch minder helder dan veel organisaties aannemen.",
]
HEADINGS = [
    "Wat betekent dit voor uw team?",
    "Waarom het gesprek tekortschiet",
    "Drie lessen uit de praktijk",
    "De rol van de leidinggevende",
    "Wat kunt u morgen al doen?",
    "Een kwestie van vertrouwen",
]


def sample_body(words: int = 900, seed: int = 0) -> str:
    """HTML of about `words` words: paragraphs of 3–6 sentences, a subheading every few."""
    rng = random.Random(seed)
    parts: list[str] = []
    count = 0
    paragraphs = 0
    while count < words:
        if paragraphs and paragraphs % 4 == 0:
            parts.append(f"<h2>{rng.choice(HEADINGS)}</h2>")
        sentences = [rng.choice(SENTENCES) for _ in range(rng.randint(3, 6))]
        text = " ".join(sentences)
        count += len(text.split())
        parts.append(f"<p>{text}</p>")
        paragraphs += 1
    return "\n".join(parts)


def sample_portrait(seed: int = 0, size: int = 800) -> bytes:
    """A JPEG 'portrait' (a head-and-shoulders silhouette) of `size` pixels square."""
    rng = random.Random(seed)
    background = tuple(rng.randint(150, 220) for _ in range(3))
    figure = tuple(rng.randint(40, 110) for _ in range(3))
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    s = size / 800
    draw.ellipse((280 * s, 150 * s, 520 * s, 420 * s), fill=figure)
    draw.ellipse((130 * s, 450 * s, 670 * s, 1100 * s), fill=figure)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()
