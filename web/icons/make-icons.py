#!/usr/bin/env python3
"""Draw the portal's icons (icon.svg's shapes) into PNGs with the standard library only.

    python3 web/icons/make-icons.py      # writes icon-192.png, icon-512.png, maskable-512.png

The shapes are those of icon.svg on a 512 grid: a rounded blue square, a white pin (a circle
over a triangle) with a blue dot. Edges are anti-aliased by 4x4 supersampling.
"""
import os
import struct
import zlib

BLUE = (0x0B, 0x4F, 0x8A)
WHITE = (0xFF, 0xFF, 0xFF)


def inside_rounded(x, y, size, r):
    if r == 0:
        return 0 <= x < size and 0 <= y < size
    cx = min(max(x, r), size - r)
    cy = min(max(y, r), size - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def in_triangle(x, y):
    # (160,276) (352,276) (256,432)
    if y < 276 or y > 432:
        return False
    half = 96 * (432 - y) / 156
    return abs(x - 256) <= half


def colour(x, y, corner):
    """x, y on the 512 grid; None = transparent."""
    if not inside_rounded(x, y, 512, corner):
        return None
    d = (x - 256) ** 2 + (y - 216) ** 2
    if d <= 52 * 52:
        return BLUE
    if d <= 120 * 120 or in_triangle(x, y):
        return WHITE
    return BLUE


def render(size, corner, scale=1.0):
    """scale < 1 shrinks the pin towards the centre (maskable icons keep a safe zone)."""
    rows = []
    ss = 4
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    gx = (px + (sx + 0.5) / ss) * 512 / size
                    gy = (py + (sy + 0.5) / ss) * 512 / size
                    if not inside_rounded(gx, gy, 512, corner):
                        continue
                    # the pin in scaled coordinates, the background unscaled
                    c = colour(256 + (gx - 256) / scale, 256 + (gy - 256) / scale, 0) or BLUE
                    acc[0] += c[0]
                    acc[1] += c[1]
                    acc[2] += c[2]
                    acc[3] += 255
            n = ss * ss
            a = acc[3] // n
            if a:
                row += bytes([acc[0] * 255 // acc[3], acc[1] * 255 // acc[3], acc[2] * 255 // acc[3], a])
            else:
                row += bytes([0, 0, 0, 0])
        rows.append(bytes(row))
    return rows


def png(path, size, rows):
    def chunk(kind, data):
        c = struct.pack('>I', len(data)) + kind + data
        return c + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b''.join(rows)
    data = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))
    with open(path, 'wb') as f:
        f.write(data)


if __name__ == '__main__':
    here = os.path.dirname(os.path.abspath(__file__))
    png(os.path.join(here, 'icon-192.png'), 192, render(192, 96))
    png(os.path.join(here, 'icon-512.png'), 512, render(512, 96))
    # maskable: full bleed (the platform cuts its own shape), the pin within the 80 % safe zone
    png(os.path.join(here, 'maskable-512.png'), 512, render(512, 0, 0.75))
    png(os.path.join(here, 'apple-touch-icon.png'), 180, render(180, 0, 0.85))
