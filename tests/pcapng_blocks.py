# SPDX-License-Identifier: BSD-3-Clause
# Prints the blocks of a pcapng file, one line each, for the tests:
#   SHB appl=...
#   IDB linktype=N snaplen=N name=... description=... tsresol=N
#   EPB caplen=N len=N flags=N comment=...
#   ISB ifrecv=N ifdrop=N osdrop=N
# (little- or big-endian sections; other blocks by type number).
import struct
import sys

OPTION_NAMES = {
    "SHB": {4: "appl"},
    "IDB": {2: "name", 3: "description", 9: "tsresol"},
    "EPB": {1: "comment", 2: "flags"},
    "ISB": {4: "ifrecv", 5: "ifdrop", 7: "osdrop"},
}


def options(kind, data, order):
    out = []
    while len(data) >= 4:
        code, length = struct.unpack(order + "HH", data[:4])
        value = data[4:4 + length]
        data = data[4 + ((length + 3) & ~3):]
        if code == 0:
            break
        name = OPTION_NAMES.get(kind, {}).get(code)
        if name is None:
            continue
        if name in ("ifrecv", "ifdrop", "osdrop"):
            value = struct.unpack(order + "Q", value)[0]
        elif name == "flags":
            value = struct.unpack(order + "I", value)[0]
        elif name == "tsresol":
            value = value[0]
        else:
            value = value.decode("utf-8", "replace")
        out.append("%s=%s" % (name, value))
    return out


def main(path):
    blob = open(path, "rb").read()
    order = "<"
    offset = 0
    while offset + 12 <= len(blob):
        block_type = struct.unpack("<I", blob[offset:offset + 4])[0]
        if block_type == 0x0A0D0D0A:
            order = "<" if blob[offset + 8:offset + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        block_type, total = struct.unpack(order + "II", blob[offset:offset + 8])
        body = blob[offset + 8:offset + total - 4]
        if total < 12 or offset + total > len(blob):
            print("TRUNCATED")
            return
        if block_type == 0x0A0D0D0A:
            print(" ".join(["SHB"] + options("SHB", body[16:], order)))
        elif block_type == 1:
            linktype, _, snaplen = struct.unpack(order + "HHI", body[:8])
            print(" ".join(["IDB", "linktype=%d" % linktype, "snaplen=%d" % snaplen] +
                           options("IDB", body[8:], order)))
        elif block_type == 6:
            _, _, _, caplen, length = struct.unpack(order + "IIIII", body[:20])
            rest = body[20 + ((caplen + 3) & ~3):]
            print(" ".join(["EPB", "caplen=%d" % caplen, "len=%d" % length] +
                           options("EPB", rest, order)))
        elif block_type == 5:
            print(" ".join(["ISB"] + options("ISB", body[12:], order)))
        else:
            print("BLOCK%d" % block_type)
        offset += total


if __name__ == "__main__":
    main(sys.argv[1])
