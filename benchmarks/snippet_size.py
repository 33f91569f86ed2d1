"""Size of the storefront module: raw, minified and gzipped (the target is a few KB over the wire).

    .venv/bin/python benchmarks/snippet_size.py [path/to/module.js ...]

The minifier is our own and deliberately simple: it drops comments and the whitespace that JavaScript does
not need, and never touches string, template or regular-expression literals. It keeps a line break
wherever the source had one between tokens (so automatic semicolon insertion reads the code the same way)
and never renames anything. tests/browser checks that the minified module still imports and works.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

MODULE = Path(__file__).resolve().parents[1] / "frontend_snippets" / "robotpayment.js"

_WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$\\")
# After these keywords a `/` starts a regular expression, not a division.
_REGEX_AFTER_WORDS = {
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
}


def _is_word(char: str) -> bool:
    return char in _WORD or ord(char) > 127


class _Scanner:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.pending_space = ""  # "", " " or "\n": whitespace seen since the last token
        self.last = ""  # the last token emitted
        self.braces: list[str] = []  # "{" for blocks, "${" for template substitutions

    def emit(self, token: str) -> None:
        if self.pending_space and self.last and self._needs_space(self.last[-1], token[0]):
            self.out.append(self.pending_space)
        elif self.pending_space == "\n" and self.last and not self._joins(self.last[-1], token[0]):
            # A line break may end a statement (automatic semicolon insertion): keep it where it could.
            self.out.append("\n")
        self.out.append(token)
        self.last = token
        self.pending_space = ""

    @staticmethod
    def _joins(left: str, right: str) -> bool:
        """True where no statement can end between `left` and `right` (so a line break there means nothing)."""
        return left in "{([,;:=?&|<>" or right in ")]},;:.?"

    @staticmethod
    def _needs_space(left: str, right: str) -> bool:
        if _is_word(left) and _is_word(right):
            return True
        # "a + +b", "a - -b", "a / /re/": joining would make another token.
        return left == right and left in "+-/"

    def regex_allowed(self) -> bool:
        if not self.last:
            return True
        if _is_word(self.last[-1]):
            return self.last in _REGEX_AFTER_WORDS
        return self.last[-1] not in ")]}" and self.last[0] not in "\"'`"

    def run(self) -> str:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char in " \t\r\n":
                end = self.pos
                while end < len(src) and src[end] in " \t\r\n":
                    end += 1
                gap = src[self.pos : end]
                self.pending_space = "\n" if "\n" in gap or self.pending_space == "\n" else " "
                self.pos = end
            elif src.startswith("//", self.pos):
                end = src.find("\n", self.pos)
                self.pos = len(src) if end < 0 else end
                self.pending_space = self.pending_space or " "
            elif src.startswith("/*", self.pos):
                end = src.index("*/", self.pos + 2) + 2
                had_newline = "\n" in src[self.pos : end]
                self.pos = end
                self.pending_space = "\n" if had_newline or self.pending_space == "\n" else (self.pending_space or " ")
            elif char in "\"'":
                self.emit(self._quoted(char))
            elif char == "`":
                self.emit(self._template_part())
            elif char == "/" and self.regex_allowed():
                self.emit(self._regex())
            elif char == "{":
                self.braces.append("{")
                self.pos += 1
                self.emit("{")
            elif char == "}" and self.braces and self.braces[-1] == "${":
                self.braces.pop()
                self.emit(self._template_part())
            elif char == "}":
                if self.braces:
                    self.braces.pop()
                self.pos += 1
                self.emit("}")
            elif _is_word(char):
                end = self.pos
                while end < len(src) and _is_word(src[end]):
                    end += 1
                self.emit(src[self.pos : end])
                self.pos = end
            else:
                self.pos += 1
                self.emit(char)
        return "".join(self.out)

    def _quoted(self, quote: str) -> str:
        src, start = self.src, self.pos
        pos = start + 1
        while src[pos] != quote:
            pos += 2 if src[pos] == "\\" else 1
        self.pos = pos + 1
        return src[start : self.pos]

    def _template_part(self) -> str:
        """From ` or } up to the closing ` or the next ${ (which opens a substitution)."""
        src, start = self.src, self.pos
        pos = start + 1
        while True:
            if src[pos] == "\\":
                pos += 2
            elif src[pos] == "`":
                self.pos = pos + 1
                return src[start : self.pos]
            elif src.startswith("${", pos):
                self.braces.append("${")
                self.pos = pos + 2
                return src[start : self.pos]
            else:
                pos += 1

    def _regex(self) -> str:
        src, start = self.src, self.pos
        pos = start + 1
        in_class = False
        while in_class or src[pos] != "/":
            if src[pos] == "\\":
                pos += 1
            elif src[pos] == "[":
                in_class = True
            elif src[pos] == "]":
                in_class = False
            pos += 1
        pos += 1
        while pos < len(src) and _is_word(src[pos]):
            pos += 1  # flags
        self.pos = pos
        return src[start:pos]


def minify(source: str) -> str:
    """Comments and needless whitespace out; literals, names and line-break statement ends kept."""
    return _Scanner(source).run().strip() + "\n"


def sizes(path: Path) -> dict[str, int]:
    raw = path.read_bytes()
    small = minify(raw.decode("utf-8")).encode("utf-8")
    return {
        "raw": len(raw),
        "minified": len(small),
        "gzip": len(gzip.compress(raw, 9, mtime=0)),
        "minified+gzip": len(gzip.compress(small, 9, mtime=0)),
    }


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or [MODULE]
    for path in paths:
        measured = sizes(path)
        print(
            f"{path.name}: "
            + ", ".join(f"{name} {value:,} B ({value / 1024:.1f} KB)" for name, value in measured.items())
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
