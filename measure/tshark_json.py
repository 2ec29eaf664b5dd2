"""Reading `tshark -T json` output one packet at a time (shared by
measure/measure-findings.sh and measure/measure-payload.py).

Objects keep their (key, value) pairs in order, duplicates included:
tshark repeats a layer key (eth, ip, tcp) for each layer and a field key
(portnote.category, ip.addr) for each occurrence.  The file can be
100 MB, so it is read in chunks.
"""
import json


def packets(path):
    """The packets of tshark -T json, one at a time, as (key, value) lists."""
    dec = json.JSONDecoder(object_pairs_hook=list)
    buf, pos, eof = "", 0, False
    with open(path, encoding="utf-8") as f:
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n,[]":
                pos += 1
            if pos < len(buf):
                try:
                    obj, end = dec.raw_decode(buf, pos)
                    yield obj
                    pos = end
                    continue
                except ValueError:
                    if eof:
                        raise
            elif eof:
                return
            chunk = f.read(1 << 20)
            eof = not chunk
            buf, pos = buf[pos:] + chunk, 0


def get(pairs, key):
    """Every value of a key in a (key, value) list."""
    return [v for k, v in pairs if k == key]


def values(pairs, key):
    """The values of a field in a layer, whether tshark printed it once, as
    a list, or as repeated keys."""
    out = []
    for v in get(pairs, key):
        out.extend(v if isinstance(v, list) else [v])
    return out
