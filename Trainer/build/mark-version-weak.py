"""Sets VER_FLG_WEAK on one version requirement (.gnu.version_r) of an ELF64 little-endian file.

patchelf cannot drop a version requirement, and glibc's loader refuses a library whose required
version the provider lacks unless the requirement is weak; a weak one only matters for symbols
that still carry that version, and patch-libtorchsharp.sh has cleared the only one.
Usage: mark-version-weak.py FILE VERSION_NAME
"""
import struct
import sys

VER_FLG_WEAK = 0x2


def c_string(data: bytes, offset: int) -> str:
    return data[offset:data.index(b"\0", offset)].decode()


def main(path: str, version: str) -> int:
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            print(f"error GT0002: {path} is not a 64-bit little-endian ELF file", file=sys.stderr)
            return 1
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        names_offset = sections[shstrndx][4]
        by_name = {c_string(data, names_offset + s[0]): s for s in sections}
        verneed = by_name.get(".gnu.version_r")
        if verneed is None:
            print(f"error GT0002: {path} has no .gnu.version_r section", file=sys.stderr)
            return 1
        strtab_offset = sections[verneed[6]][4]
        entry = verneed[4]
        for _ in range(verneed[7]):  # sh_info holds the number of Verneed entries
            _, count, _, aux, next_entry = struct.unpack_from("<HHIII", data, entry)
            at = entry + aux
            for _ in range(count):
                _, flags, _, name, next_aux = struct.unpack_from("<IHHII", data, at)
                if c_string(data, strtab_offset + name) == version:
                    struct.pack_into("<H", data, at + 4, flags | VER_FLG_WEAK)
                    f.seek(0)
                    f.write(data)
                    return 0
                at += next_aux
            entry += next_entry
        print(f"{path} does not require {version}; nothing to mark")
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
