"""The decision regions and the data as one small PNG, for the live chart while training.

Drawn by plotly as a grid and some hundreds of SVG markers, the regions take the browser ~50 ms per redraw;
as one image they take ~3 ms, and the PNG (palette colours, flat areas) is a few kilobytes. The paused
chart stays the interactive plotly version.
"""

import base64
import struct
import zlib

import numpy as np

SCALE = 4  # image pixels per grid cell: 400×400 for a 100×100 grid, about the size the chart shows
OUTLINE_RADIUS, FILL_RADIUS, HOLE_RADIUS = 4.6, 3.4, 1.8  # in pixels: white rim, coloured disc, test hole


def png(indices, palette):
    """A palette PNG of the (height, width) uint8 ``indices``; ``palette`` is (colours, 3) uint8 RGB."""
    height, width = indices.shape
    rows = np.hstack([np.zeros((height, 1), np.uint8), indices.astype(np.uint8)])  # filter byte 0 per row

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8-bit palette, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", np.asarray(palette, np.uint8).tobytes())
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + chunk(b"IEND", b"")
    )


def _stamp(radius, hole=0.0):
    """Pixel offsets (dy, dx) of a disc, or of a ring when ``hole`` > 0."""
    span = int(np.ceil(radius))
    dy, dx = np.mgrid[-span : span + 1, -span : span + 1]
    distance = np.hypot(dy, dx)
    keep = (distance <= radius) & (distance >= hole)
    return dy[keep], dx[keep]


class RegionPicture:
    """Region codes (see ``charts.region_codes``) plus the points, as a PNG data URI.

    The points' pixels are worked out once per data set; each redraw upsamples the grid, stamps them on
    and encodes, in about 2 ms.
    """

    def __init__(self, grid_x1, grid_x2, split, show_test, palette, point_colors):
        self.size = len(grid_x1) * SCALE
        self.palette = np.vstack([palette, point_colors, [[255, 255, 255]]]).astype(np.uint8)
        white, first_point_color = len(self.palette) - 1, len(palette)
        stamps = [(split.x_train, split.t_train, _stamp(FILL_RADIUS))]
        if show_test and len(split.x_test):
            stamps.append((split.x_test, split.t_test, _stamp(FILL_RADIUS, HOLE_RADIUS)))
        outline, fills = [], []
        for x, t, (dy, dx) in stamps:
            rows, cols = self._pixel(x[:, 1], grid_x2, flip=True), self._pixel(x[:, 0], grid_x1)
            outline.append(self._spread(rows, cols, *_stamp(OUTLINE_RADIUS)))
            colors = np.repeat(first_point_color + t.argmax(axis=1), len(dy))
            fills.append((*self._spread(rows, cols, dy, dx), colors))
        self.white = white
        self.outline = tuple(np.concatenate(parts) for parts in zip(*outline))
        self.fills = tuple(np.concatenate(parts) for parts in zip(*fills))

    def _pixel(self, values, ticks, flip=False):
        position = (values - ticks[0]) / (ticks[-1] - ticks[0]) * (self.size - 1)
        return np.rint(self.size - 1 - position if flip else position).astype(int)  # image rows run downwards

    def _spread(self, rows, cols, dy, dx):
        """Every point's stamp pixels, clipped to the image."""
        rows = (rows[:, None] + dy[None, :]).ravel()
        cols = (cols[:, None] + dx[None, :]).ravel()
        inside = (rows >= 0) & (rows < self.size) & (cols >= 0) & (cols < self.size)
        return rows, cols, inside

    def data_uri(self, codes):
        """The picture for ``codes`` (resolution × resolution, row 0 at the smallest x2)."""
        image = np.repeat(np.repeat(codes[::-1], SCALE, axis=0), SCALE, axis=1)
        rows, cols, inside = self.outline
        image[rows[inside], cols[inside]] = self.white
        rows, cols, inside, colors = self.fills
        image[rows[inside], cols[inside]] = colors[inside]
        return "data:image/png;base64," + base64.b64encode(png(image, self.palette)).decode()
