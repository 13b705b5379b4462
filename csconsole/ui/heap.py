"""Keep the heap small and the garbage collector's pauses short between keypresses.

A full collection walks every tracked object; with Textual's widgets and styles
loaded that is tens of thousands of objects and took 40–60 ms, long enough to feel
as a stalled keypress. Two measures keep it near 15 ms:

* objects alive once the inbox has painted (modules, styles, the first screen) live
  for the whole session, so they are frozen out of later collections; the modules
  are frozen already when the app starts running, and no collection runs until the
  first paint (start-up allocates a lot and frees little: collecting then cost about 50 ms,
  a third of it one full pass right before the first frame);
* Textual memoises ``StylesCache.get_inner_outer`` with an ``lru_cache`` keyed by the
  widget's styles cache itself, which kept up to 1,024 closed widgets alive with every
  line they rendered; the memo holds two colour blends, cheap to recompute, and is
  dropped whenever a screen closes.
"""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache


def pause_collection() -> None:
    """Freeze what is alive now (the imported modules) and collect nothing until
    ``freeze_startup_objects``; call it when the app starts running."""
    gc.freeze()
    gc.disable()


def freeze_startup_objects() -> None:
    """Move everything alive now out of the collector's reach and let it run again
    (call after first paint, and when the app stops in case it never painted)."""
    gc.freeze()
    gc.enable()


def release_closed_screens() -> None:
    """Forget render caches that pin widgets of screens already closed."""
    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if clear is not None:  # a later Textual may drop the memo; then there is nothing to do
        clear()
