"""Rust code cells read as the checks need them: split into code, comments and literals,
masked, and parted from their evcxr `:command` lines."""

from __future__ import annotations

import re

# The path of a `:dep` line: `:dep dlfs = { path = "../crates/dlfs" }`
DEP_PATH = re.compile(r'\bpath\s*=\s*"([^"]*)"')

_RAW_STRING = re.compile(r'(?:b|c)?r(#*)"')
_PLAIN_STRING = re.compile(r'(?:b|c)?"')
_CHAR = re.compile(
    r"""b?'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,6}\}|[nrt\\0'"])|[^\\'\n\r])'""")


def rust_pieces(code: str):
    """Splits Rust source into ("code" | "comment" | "string" | "char", text, content) pieces;
    content is what is between a literal's quotes (raw strings included), else the text."""
    pieces = []
    i, start, n = 0, 0, len(code)

    def emit(kind, j, content=None):
        nonlocal start
        if i > start:
            pieces.append(("code", code[start:i], code[start:i]))
        pieces.append((kind, code[i:j], code[i:j] if content is None else content))
        start = j

    while i < n:
        after_ident = i > 0 and (code[i - 1].isalnum() or code[i - 1] == "_")
        if code.startswith("//", i):
            j = code.find("\n", i)
            j = n if j < 0 else j
            emit("comment", j)
            i = j
        elif code.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if code.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif code.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            emit("comment", j)
            i = j
        elif not after_ident and (m := _RAW_STRING.match(code, i)):
            close = '"' + m.group(1)
            end = code.find(close, m.end())
            j = n if end < 0 else end + len(close)
            emit("string", j, code[m.end(): n if end < 0 else end])
            i = j
        elif (code[i] == '"' or not after_ident) and (m := _PLAIN_STRING.match(code, i)):
            j = m.end()
            while j < n and code[j] != '"':
                j += 2 if code[j] == "\\" else 1
            emit("string", min(j + 1, n), code[m.end(): min(j, n)])
            i = min(j + 1, n)
        elif (code[i] in "'b" and (code[i] == "'" or not after_ident)
              and (m := _CHAR.match(code, i))):
            emit("char", m.end())
            i = m.end()
        else:
            i += 1
    if n > start:
        pieces.append(("code", code[start:], code[start:]))
    return pieces


def mask_rust(code: str, keep_lines: bool = False) -> str:
    """The code with comments removed and every string and char literal replaced by an empty
    one. Trailing spaces are dropped and, unless keep_lines, so are the lines left empty."""
    out = []
    for kind, text, _ in rust_pieces(code):
        if kind == "code":
            out.append(text)
        elif kind == "comment":
            out.append("\n" * text.count("\n") if keep_lines else " ")
        elif kind == "string":
            out.append('""' + ("\n" * text.count("\n") if keep_lines else ""))
        else:
            out.append("' '")
    lines = [line.rstrip() for line in "".join(out).splitlines()]
    return "\n".join(lines if keep_lines else [line for line in lines if line])


def _is_command(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(":") and not stripped.startswith("::")


def split_cell(source: str) -> tuple[list[str], str]:
    """An evcxr cell's `:command` lines, and its Rust code (command lines left blank)."""
    lines = source.splitlines()
    commands = [line.strip() for line in lines if _is_command(line)]
    rust = "\n".join("" if _is_command(line) else line for line in lines)
    return commands, rust
