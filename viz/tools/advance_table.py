#!/usr/bin/env python3
"""Prints the advance widths of printable ASCII (32..126) of a TrueType font,
in font units per em, read from its cmap (format 4) and hmtx tables.
Used once to fill ApproxMetrics' tables (viz/model/canvas.cpp) from
Debian's fonts-dejavu-core. Usage: advance_table.py FONT.ttf"""
import struct
import sys

data = open(sys.argv[1], "rb").read()
count = struct.unpack(">H", data[4:6])[0]
tables = {}
for i in range(count):
    tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
    tables[tag.decode()] = (off, length)

units_per_em = struct.unpack(">H", data[tables["head"][0] + 18:tables["head"][0] + 20])[0]
metrics_count = struct.unpack(">H", data[tables["hhea"][0] + 34:tables["hhea"][0] + 36])[0]
cmap = tables["cmap"][0]
glyph_of = {}
for i in range(struct.unpack(">H", data[cmap + 2:cmap + 4])[0]):
    platform, encoding, off = struct.unpack(">HHI", data[cmap + 4 + 8 * i:cmap + 12 + 8 * i])
    sub = cmap + off
    if struct.unpack(">H", data[sub:sub + 2])[0] != 4 or platform != 3:
        continue
    segs = struct.unpack(">H", data[sub + 6:sub + 8])[0] // 2
    ends = struct.unpack(f">{segs}H", data[sub + 14:sub + 14 + 2 * segs])
    starts = struct.unpack(f">{segs}H", data[sub + 16 + 2 * segs:sub + 16 + 4 * segs])
    deltas = struct.unpack(f">{segs}h", data[sub + 16 + 4 * segs:sub + 16 + 6 * segs])
    ro_at = sub + 16 + 6 * segs
    offsets = struct.unpack(f">{segs}H", data[ro_at:ro_at + 2 * segs])
    for c in range(32, 127):
        for s in range(segs):
            if starts[s] <= c <= ends[s]:
                if offsets[s] == 0:
                    glyph_of[c] = (c + deltas[s]) & 0xFFFF
                else:
                    at = ro_at + 2 * s + offsets[s] + 2 * (c - starts[s])
                    glyph_of[c] = (struct.unpack(">H", data[at:at + 2])[0] + deltas[s]) & 0xFFFF
                break
    break
hmtx = tables["hmtx"][0]
def advance(g):
    g = min(g, metrics_count - 1)
    return struct.unpack(">H", data[hmtx + 4 * g:hmtx + 4 * g + 2])[0]
print(f"// {sys.argv[1].split('/')[-1]}: units per em {units_per_em}")
print(", ".join(str(advance(glyph_of.get(c, 0))) for c in range(32, 127)))
