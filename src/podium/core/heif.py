"""HEIC/HEIF pictures (photos from phones) open through Pillow like any other format, from the
moment a process first opens a picture: pillow_heif and its codecs (about 7.5 MB of memory in
every process) are loaded then, not by every web process when it starts (issue #20, worker RSS).
Call `register()` before `PIL.Image.open` on anything a person uploaded or stored."""

from functools import cache


@cache
def register() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
