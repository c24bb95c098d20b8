"""Makes fonts/NotoSansCJK-subset.otf, the CJK font embedded in dlfs-plot.

The source is Noto Sans CJK SC Regular (SIL Open Font License 1.1) from Debian's
`fonts-noto-cjk` package. The character set is fixed and taken from Python's own codecs,
so the subset can be made again anywhere:

- GB2312 levels 1 and 2: all 6,763 simplified Chinese characters of the standard (rows
  16-87), so that a learner's own labels find their glyphs too (交叉熵误差, 阈值, 陷阱 are
  level 2);
- JIS X 0208 level 1: 2,965 common Japanese kanji (rows 16-47), which hold nearly all of
  the Joyo kanji;
- hiragana, katakana, CJK symbols and punctuation, fullwidth ASCII and halfwidth forms,
  and the punctuation of GB2312 row 1 (middle dot, curly quotes, ellipsis, ...).

Usage (fontTools in a throwaway environment, not the project's requirements):

    apt-get install fonts-noto-cjk
    python3 -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools
    /tmp/ft/bin/python crates/dlfs-plot/fonts/make_cjk_subset.py
"""

import pathlib
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = pathlib.Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
OUT = pathlib.Path(__file__).with_name("NotoSansCJK-subset.otf")
SC_INDEX = 2  # "Noto Sans CJK SC" in the collection


def decode_rows(codec, first_row, last_row, lead_offset=0xA0):
    """Characters of a 94x94 double-byte code set, rows first_row..=last_row."""
    chars = []
    for row in range(first_row, last_row + 1):
        for cell in range(1, 95):
            raw = bytes([lead_offset + row, 0xA0 + cell])
            try:
                chars.append(raw.decode(codec))
            except UnicodeDecodeError:
                pass
    return chars


def character_set():
    chars = set()
    chars.update(decode_rows("gb2312", 16, 87))  # GB2312 levels 1 and 2
    chars.update(decode_rows("gb2312", 1, 1))  # GB2312 punctuation row
    chars.update(decode_rows("euc_jp", 16, 47))  # JIS X 0208 level 1 kanji
    ranges = [
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0x3040, 0x309F),  # hiragana
        (0x30A0, 0x30FF),  # katakana
        (0xFF00, 0xFFEF),  # halfwidth and fullwidth forms
    ]
    for lo, hi in ranges:
        chars.update(chr(c) for c in range(lo, hi + 1))
    return sorted(chars)


def main():
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} not found: apt-get install fonts-noto-cjk")
    chars = character_set()
    font = TTCollection(str(SOURCE)).fonts[SC_INDEX]
    options = subset.Options()
    options.layout_features = []  # no OpenType layout: text is set glyph by glyph
    options.name_IDs = ["*"]  # keep the copyright and license records
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    font.save(str(OUT))
    cmap = font.getBestCmap()
    missing = [c for c in chars if ord(c) not in cmap]
    print(f"{OUT.name}: {len(chars)} characters asked, {len(chars) - len(missing)} present, "
          f"{OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
