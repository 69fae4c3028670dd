"""Tiny PNG writer (numpy + zlib): palette images for figures that travel as pictures.

The training replay sends each epoch's probability map as an image (plotly layout image) so a
frame changes with no plotly redraw of the points. Indexed colour (one byte per pixel, at most
256 palette entries) keeps a smooth map small after zlib.
"""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np

__all__ = ["palette_png", "palette_pngs", "read_palette_png", "data_url"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def palette_png(indices, palette) -> bytes:
    """PNG bytes of an indexed-colour image.

    Parameters
    ----------
    indices : array-like of int, shape (h, w)
        Palette index per pixel, row 0 at the TOP of the picture.
    palette : array-like of int, shape (k, 3), k <= 256
        RGB colours 0-255.
    """
    idx = np.asarray(indices)
    pal = np.asarray(palette, dtype=np.uint8)
    if idx.ndim != 2 or pal.ndim != 2 or pal.shape[1] != 3 or not 0 < pal.shape[0] <= 256:
        raise ValueError(f"need (h, w) indices and a (k <= 256, 3) palette, got {idx.shape} "
                         f"and {pal.shape}.")
    return palette_pngs(idx[None], pal)[0]


def palette_pngs(stack, palette) -> list:
    """:func:`palette_png` of each image of a stack ``(k, h, w)``: the same bytes, with the
    indices checked and the rows laid out once for the whole stack (a replay's 32 pictures)."""
    idx = np.asarray(stack)
    pal = np.asarray(palette, dtype=np.uint8)
    if idx.ndim != 3 or pal.ndim != 2 or pal.shape[1] != 3 or not 0 < pal.shape[0] <= 256:
        raise ValueError(f"need (k, h, w) indices and a (k <= 256, 3) palette, got {idx.shape} "
                         f"and {pal.shape}.")
    # An unsigned index cannot be negative: only the largest needs a look.
    if idx.size and ((idx.dtype.kind != "u" and idx.min() < 0) or idx.max() >= pal.shape[0]):
        raise ValueError("a pixel's index is outside the palette.")
    k, h, w = idx.shape
    rows = np.zeros((k, h, w + 1), dtype=np.uint8)  # filter byte 0 (none) before every row
    rows[:, :, 1:] = idx
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0))  # 8-bit, palette
    head = _SIGNATURE + header + _chunk(b"PLTE", pal.tobytes())
    end = _chunk(b"IEND", b"")
    return [head + _chunk(b"IDAT", zlib.compress(image.tobytes(), 3)) + end for image in rows]


def read_palette_png(png: bytes):
    """``(indices (h, w) uint8, palette (k, 3) uint8)`` of a PNG written by :func:`palette_png`."""
    if not png.startswith(_SIGNATURE):
        raise ValueError("not a PNG")
    pos, chunks = len(_SIGNATURE), {}
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind = png[pos + 4:pos + 8]
        chunks[kind] = chunks.get(kind, b"") + png[pos + 8:pos + 8 + length]
        pos += 12 + length
    w, h = struct.unpack(">II", chunks[b"IHDR"][:8])
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8).reshape(h, w + 1)
    if rows[:, 0].any():
        raise ValueError("only unfiltered rows are read")
    return rows[:, 1:].copy(), np.frombuffer(chunks[b"PLTE"], dtype=np.uint8).reshape(-1, 3)


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
