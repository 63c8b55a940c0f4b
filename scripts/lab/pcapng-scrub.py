#!/usr/bin/env python3
"""Rewrite a pcapng file in place without the capturing host's description:
drop shb_hardware (2) and shb_os (3) from Section Header Blocks and if_os (12)
from Interface Description Blocks; everything else is kept byte for byte."""
import struct
import sys

DROP = {0x0A0D0D0A: {2, 3}, 0x00000001: {12}}


def rewrite_options(body, e, drop):
    out, i = b"", 0
    while i + 4 <= len(body):
        code, length = struct.unpack(e + "HH", body[i:i + 4])
        padded = (length + 3) & ~3
        opt = body[i:i + 4 + padded]
        i += 4 + padded
        if code == 0:
            break
        if code not in drop:
            out += opt
    return out + struct.pack(e + "HH", 0, 0) if out else b""


def main(path):
    data = open(path, "rb").read()
    out, i, e = b"", 0, "<"
    while i < len(data):
        btype = struct.unpack("<I", data[i:i + 4])[0]
        if btype == 0x0A0D0D0A:
            e = "<" if data[i + 8:i + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        btype, blen = struct.unpack(e + "II", data[i:i + 8])
        block = data[i:i + blen]
        i += blen
        if btype in DROP:
            fixed = 16 if btype == 0x0A0D0D0A else 8  # SHB: bom+ver+seclen; IDB: linktype+res+snaplen
            head = block[8:8 + fixed]
            opts = rewrite_options(block[8 + fixed:blen - 4], e, DROP[btype])
            nlen = 8 + fixed + len(opts) + 4
            block = struct.pack(e + "II", btype, nlen) + head + opts + struct.pack(e + "I", nlen)
            if btype == 0x0A0D0D0A:  # section length unknown after rewriting
                block = block[:16] + struct.pack(e + "q", -1) + block[24:]
        out += block
    open(path, "wb").write(out)


if __name__ == "__main__":
    main(sys.argv[1])
