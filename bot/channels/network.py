"""What a failed HTTP call to a messenger's API tells about the message it carried.

A channel may send a message again only when the first try certainly did not reach the server:
then she gets one copy, not two. aiohttp fails before writing the request when it cannot make
the connection (refused, no route, a name that does not resolve, a TLS handshake that fails) or
when making it takes too long. Any other failure (a timeout while the answer is awaited, the
server gone mid-answer, a reset) may come after the server took the message: in doubt.
"""

from __future__ import annotations

import aiohttp


def never_connected(error: BaseException | None) -> bool:
    """Whether aiohttp gave up before the request was written, so the server never saw it."""
    return isinstance(error, (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError))
