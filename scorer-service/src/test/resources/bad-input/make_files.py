#!/usr/bin/env python3
"""Regenerates the binary files of the scorer's bad-input corpus (standard library only).

    python3 scorer-service/src/test/resources/bad-input/make_files.py

Every file is deterministic; the test reads them, it never runs this script.
"""
import os
import struct
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, colour_type=2, bit_depth=8, channels=3, interlace=0, idat=None, ihdr_size=None):
    sig = b"\x89PNG\r\n\x1a\n"
    w, h = ihdr_size or (width, height)
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, colour_type, 0, 0, interlace)
    if idat is None:
        bpp = channels * bit_depth // 8
        rows = b"".join(b"\x00" + bytes(((x * 7 + y * 13 + c * 29) & 0xFF) for x in range(width) for c in range(bpp))
                        for y in range(height))
        idat = zlib.compress(rows)
    extra = b""
    if colour_type == 3:
        extra = chunk(b"PLTE", bytes(range(48)))
    return sig + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(HERE, exist_ok=True)
    good = png(32, 32)
    write("valid-32.png", good)
    write("valid-16.png", png(16, 16))
    write("truncated.png", good[: len(good) // 2])
    bad_crc = bytearray(good)
    bad_crc[29] ^= 0xFF  # inside IHDR's CRC (bytes 29..32)
    write("bad-crc.png", bytes(bad_crc))
    write("not-a-png.png", b"GIF89a\x20\x00\x20\x00" + bytes(40))
    write("gray-32.png", png(32, 32, colour_type=0, channels=1))
    write("rgba-32.png", png(32, 32, colour_type=6, channels=4))
    write("palette-32.png", png(32, 32, colour_type=3, channels=1))
    write("rgb16-32.png", png(32, 32, bit_depth=16))
    write("huge-ihdr.png", png(1, 1, ihdr_size=(100000, 100000)))
    write("corrupt-idat.png", png(32, 32, idat=b"\x78\x9c" + bytes(range(200))))
    write("trailing-after-iend.png", good + b"garbage after the end")
    write("empty.png", b"")
    # Kafka values that are no AlignLoop Avro message at all.
    write("not-avro.bin", b"not avro at all: {\"pairId\": \"x\"}")
    write("empty.bin", b"")
    write("marker-only.bin", b"\xc3\x01")
    write("unknown-fingerprint.bin", b"\xc3\x01" + struct.pack("<q", 0x0123456789ABCDEF) + b"\x02x\x02y")


if __name__ == "__main__":
    main()
