"""`make bench-web`: the production settings plus one bare view (the ceiling of the stack)."""

from podium.settings import *  # noqa: F403
from podium.settings import PODIUM_PAGE_CACHE_EXCLUDE

ROOT_URLCONF = "web_urls"
PODIUM_PAGE_CACHE_EXCLUDE = [*PODIUM_PAGE_CACHE_EXCLUDE, "/bench/"]
