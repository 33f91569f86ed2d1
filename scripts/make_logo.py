"""Draw the app's logo (plugin/robotpayment_app/web/static/logo.png): a card with a chip on ROBOT PAYMENT red.

Saleor accepts app logos of 256×256 pixels or more; this one is 512×512, drawn with the standard library only
(4× supersampled shapes, PNG via zlib) so that it can be regenerated anywhere: `python scripts/make_logo.py`.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZE = 512
SAMPLES = 4
OUT = Path(__file__).resolve().parents[1] / "plugin/robotpayment_app/web/static/logo.png"
BACKGROUND = (200, 16, 46)  # a deep red
CARD = (255, 255, 255)
STRIPE = (40, 40, 48)
CHIP = (232, 180, 60)


def _in_rounded(x: float, y: float, left: float, top: float, right: float, bottom: float, radius: float) -> bool:
    if not (left <= x <= right and top <= y <= bottom):
        return False
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def _colour(x: float, y: float) -> tuple[int, int, int, int]:
    """RGBA: the rounded square's corners are transparent (the dashboard shows the logo on light and dark)."""
    s = SIZE
    if not _in_rounded(x, y, 0, 0, s, s, s * 0.18):
        return (0, 0, 0, 0)
    return (*_inside(x, y), 255)


def _inside(x: float, y: float) -> tuple[int, int, int]:
    s = SIZE
    if _in_rounded(x, y, s * 0.14, s * 0.26, s * 0.86, s * 0.74, s * 0.06):
        if s * 0.34 <= y <= s * 0.42:
            return STRIPE
        if _in_rounded(x, y, s * 0.22, s * 0.50, s * 0.36, s * 0.63, s * 0.02):
            return CHIP
        return CARD
    return BACKGROUND


def _pixel(px: int, py: int) -> bytes:
    total = [0, 0, 0, 0]
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            red, green, blue, alpha = _colour(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)
            # colours weighted by their coverage, so that the edge does not darken towards the transparent corner
            for i, value in enumerate((red * alpha, green * alpha, blue * alpha, alpha)):
                total[i] += value
    alpha = total[3]
    if not alpha:
        return b"\x00\x00\x00\x00"
    return bytes([*(round(value / alpha) for value in total[:3]), alpha // (SAMPLES * SAMPLES)])


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main() -> None:
    rows = b"".join(b"\x00" + b"".join(_pixel(x, y) for x in range(SIZE)) for y in range(SIZE))
    png = b"\x89PNG\r\n\x1a\n"
    png += _chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
    png += _chunk(b"IDAT", zlib.compress(rows, 9))
    png += _chunk(b"IEND", b"")
    OUT.write_bytes(png)
    print(f"{OUT}: {SIZE}x{SIZE}, {len(png)} bytes")


if __name__ == "__main__":
    main()
