"""A full collection of the startup heap stalled every chat for about 0.3 s, every few seconds
under load (found by bench/whatsapp_webhook.py): what `serve` has loaded before it listens is
frozen, out of the collector's passes. Counted, not timed."""

from __future__ import annotations

import gc

from bot.run import keep_startup_objects_out_of_collections


def test_what_is_loaded_before_serving_is_left_out_of_the_collectors_passes() -> None:
    loaded = [[number] for number in range(10_000)]  # as long-lived as the content
    gc.unfreeze()
    gc.disable()  # as `python -m bot run` starts
    try:
        keep_startup_objects_out_of_collections()
        assert gc.isenabled()  # collections run again while it serves
        frozen = gc.get_freeze_count()
        assert frozen >= len(loaded)
        gc.collect()  # a full pass
        # Still out of it after a full pass: not in any generation the collector walks. (The
        # frozen count itself may fall meanwhile: frozen objects that other threads free leave it.)
        walked = {id(found) for found in gc.get_objects()}
        assert not any(id(item) in walked for item in loaded)
    finally:
        gc.unfreeze()
        gc.enable()
