"""Reading an answer's body as it streams in: bounded decompression and the size cap.

Only encodings whose output can be bounded are asked for and accepted, and the
cap counts *decoded* bytes, so neither a compression bomb nor a body that never
ends can take the app's memory.
"""

from __future__ import annotations

import zlib
from typing import Any

import httpx

from leadping_tui.api import errors

# A status with tens of thousands of events is a few MB; anything far larger is
# a broken proxy or an attack, and would only hurt a long-running session.
# The cap counts *decoded* bytes as they stream in: a 1 MB gzip body can
# inflate to gigabytes, and a chunked body may never end.
MAX_BODY_BYTES = 32 * 1024 * 1024
# Only what we can inflate with a bounded output; brotli/zstd are never asked for.
ACCEPT_ENCODING = "gzip, deflate"


class _Inflater:
    """Decodes a Content-Encoding with a bounded output per call."""

    def __init__(self, encoding: str) -> None:
        codings = [part.strip().lower() for part in encoding.split(",") if part.strip()]
        codings = [coding for coding in codings if coding != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise errors.BadResponse(
                f"The API answered with an encoding we did not ask for ({encoding[:40]})."
            )
        self._coding = codings[0] if codings else None
        self._zlib: Any = None
        if self._coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded ``data``; at most ``room + 1`` bytes (one more means "over the cap")."""
        if self._coding is None:
            return data
        if self._zlib is None:
            # "deflate" is zlib-wrapped by the RFC, raw by some servers.
            wrapped = bool(data) and data[0] & 0x0F == 8
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            return bytes(self._zlib.decompress(data, room + 1))
        except zlib.error:
            raise errors.BadResponse("The API sent a damaged compressed answer.") from None


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    if response.is_stream_consumed:
        # Built in memory (a mock transport in tests): already read and decoded.
        if len(response.content) > limit:
            raise errors.BadResponse(f"The response was over the {_size(limit)} limit.")
        return response.content
    inflater = _Inflater(response.headers.get("Content-Encoding", ""))
    chunks: list[bytes] = []
    total = 0
    async for raw in response.aiter_raw():
        piece = inflater.feed(raw, limit - total)
        total += len(piece)
        if total > limit:
            raise errors.BadResponse(
                f"The response was over the {_size(limit)} limit; it was not read further."
            )
        chunks.append(piece)
    return b"".join(chunks)
