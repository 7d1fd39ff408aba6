"""Bylines: the reporter a line names (with the name's Hanja) and the outlet it names.

Korean news opens with a byline in brackets, in a handful of shapes:

    (서울=연합뉴스) 홍길동 기자 =       a dateline: the place, then the outlet; the reporter after
    [한빛일보 홍길동 기자]              the outlet, then the reporter
    [한빛일보=홍길동 기자]              the same with "="; with or without spaces around it
    [한빛일보=홍길동기자]               the title glued to the name
    [한빛일보 = 칸(프랑스) 홍길동 기자]  a place in the byline, bracketed or not
    [뉴욕=한빛일보 홍길동 특파원]       a correspondent: the place, then the outlet

An outlet is a name: never the place of a dateline, a place in brackets or the reporter. When
the words around "=" leave it unclear which is which, the outlet is the one written as news
outlets are named (a Latin letter or a digit, 스포츠…, …뉴스, …일보, …데일리, …코리아, …);
otherwise the byline names no outlet.
"""

from __future__ import annotations

import re

from indexer.text.scripts import HAN, HANGUL

_NAME = rf"[{HANGUL}]{{2,4}}"
_HANJA = rf"[(（][{HAN}]{{2,4}}[)）]"
# A reporter's title, with its rank, field or desk before it ("선임기자", "인턴 기자",
# "중국 전문기자", "IT과학부 기자").
_RANK = r"(?:수석|선임|객원|인턴|전문|편집)"
_TITLE = (
    rf"(?:[{HANGUL}A-Za-z]{{1,6}}\s?전문|{_RANK}|[\w]{{1,8}}[부팀]\s)?\s?(?:기자|특파원|통신원)"
)
_TITLE_WORD = re.compile(
    r"(?:수석|선임|객원|인턴|전문|편집)?(?:기자|특파원|통신원|칼럼니스트|에디터|리포터|논설위원)"
)
# "홍길동 기자", "[서울=뉴스1] 홍길동 기자", "홍길동(洪吉同) 특파원": the name, with its Hanja.
# A name is never a rank: "선임기자" is a title, not 선임 the reporter.
_NAME_BEFORE_TITLE = rf"(?!{_RANK}\s?(?:기자|특파원|통신원)){_NAME}(?:\s?{_HANJA})?"
KO_BYLINE = re.compile(
    rf"(?:^|[(\[=]\s*|[)\]]\s*)(?P<name>{_NAME_BEFORE_TITLE})\s?{_TITLE}"
    r"(?=\s|$|[=\])]|[\w.+-]+@)"
)
# A blog's byline: a handle, the name with its Hanja, the date ("CIA Bear 허관(許灌) 2024. 5.
# 23. 08:34"). Without a title only the Hanja shows it is a name, so it must be there.
_HANJA_BYLINE = re.compile(
    rf"^(?:[A-Za-z0-9][\w.'@-]*\s+){{0,4}}(?P<name>{_NAME}\s?{_HANJA})"
    r"(?:\s+[\d\s.:/-]*(?:(?:오전|오후)\s*[\d\s.:]*)?)?$"
)
EN_BYLINE = re.compile(r"^(?i:by)\s+(?P<name>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})")
_GLOSS = re.compile(rf"\s?{_HANJA}")


def author(line: str) -> str:
    """The reporter's name a byline line gives ("홍길동", "허관(許灌)"), or ""."""
    line = line.strip()
    found = bracket_author(line)
    if found:
        return found
    match = KO_BYLINE.search(line) or EN_BYLINE.match(line)
    if match:
        return match.group("name")
    match = _HANJA_BYLINE.match(line)
    if match and _one_hanja_a_syllable(match.group("name")):
        return match.group("name")
    return ""


def bracket_author(line: str) -> str:
    """The first reporter of a byline in brackets at the start of ``line``, or "".

    It may open a paragraph of the story ("[한빛일보 홍길동 기자] 정부가…"), so it is looked
    for in lines of the body too.
    """
    parts = _bracketed(line)
    if parts is None:
        return ""
    inside, after = parts
    # (서울=연합뉴스) 홍길동 김철수 기자 =: the reporters follow the dateline.
    names = _REPORTERS.match(after) if "=" in inside else None
    if names is None:
        names = _REPORTER.search(inside)
    if names is None:
        return ""
    return names.group("name")


def _one_hanja_a_syllable(name: str) -> bool:
    # A Korean name glosses each syllable with one Hanja: 허관(許灌), 남궁민(南宮珉).
    hangul, _, rest = name.partition("(") if "(" in name else name.partition("（")
    return len(hangul.strip()) == len(rest.rstrip(")）"))


def with_hanja(given: str, byline: str) -> str:
    """``given`` (a name from metadata), or the byline's name when it is ``given`` with Hanja.

    Metadata often writes a name in Hangul alone ("허관") where the byline adds its Hanja
    ("허관(許灌)"): the fuller form keeps the name findable in either script.
    """
    if given and byline and _GLOSS.sub("", byline) == given and byline != given:
        return byline
    return given or byline


# --- the outlet -------------------------------------------------------------------------------

_CLOSERS = {"[": "]", "(": ")", "【": "】", "［": "］"}
# A reporter (or several) at the start of the text after a dateline: "홍길동 기자 =",
# "홍길동 기자,김철수 기자", "홍길동 김철수 기자", "】홍길동 기자".
_REPORTERS = re.compile(
    rf"^\s*(?P<name>{_NAME_BEFORE_TITLE})(?:[\s,·]+{_NAME_BEFORE_TITLE})*?\s?{_TITLE}"
    rf"(?![{HANGUL}])"
)
# One reporter inside the brackets: the name right before the title ("[한빛일보 홍길동 기자]").
_REPORTER = re.compile(
    rf"(?:^|(?<=[\s=,·/)]))(?P<name>{_NAME_BEFORE_TITLE})\s?{_TITLE}(?![{HANGUL}])"
)
# What stands before "=" in a photo or data credit, not a place: "(사진=한빛일보)",
# "[이미지출처=한빛일보]".
_CREDIT = re.compile(r"사진|자료|그래픽|출처|영상|제공|이미지|photo|graphic|image", re.I)
# Whoever signs a dateline's story when no reporter does: "정책팀 =", "홍길동 에디터 =".
_SIGNED = re.compile(r"^\s*[^=\n]{1,15}=")
# Words of a byline that are neither outlet, place nor reporter: "글·사진", "이슈팀", "IT과학부".
_ROLES = frozenset({"글", "사진", "영상", "그래픽", "정리", "취재"})
_DESK = re.compile(r"^\w+[부팀]$")
# A place in brackets, with the word it belongs to: "(부산)", "칸(프랑스)". A bracket of Hanja
# glosses a name and stays with it.
_BRACKETED_PLACE = re.compile(rf"[^\s(（]*[(（](?![{HAN}]+[)）])[^)）]*[)）]")
_SEPARATORS = re.compile(r"[\s,/·|]+")
# How news outlets are named: a Latin letter or a digit (OSEN, TV리포트, 아이뉴스24), or a word
# of the trade at its start or end (스포츠서울, 연합뉴스, 한빛일보, 마이데일리, 테니스코리아).
_OUTLET_LIKE = re.compile(
    r"[A-Za-z0-9]|^스포츠|(?:뉴스|일보|신문|경제|데일리|방송|닷컴|코리아|타임스|타임즈|리포트|"
    r"미디어|투데이|저널|위크|월드|헤럴드|포스트|아시아|프레스|통신|매거진|비즈|인사이드|스포츠)$"
)


def _bracketed(line: str) -> tuple[str, str] | None:
    """What a bracket at the start of ``line`` holds, and the text after it."""
    text = line.lstrip()
    if not text or text[0] not in _CLOSERS:
        return None
    end = text.find(_CLOSERS[text[0]], 1)
    if end < 0 or end > 60:
        return None
    return text[1:end], text[end + 1 :]


def outlet(line: str) -> str:
    """The outlet a byline in brackets at the start of ``line`` names, or ""."""
    parts = _bracketed(line)
    if parts is None:
        return ""
    inside, after = parts
    place, equals, rest = inside.partition("=")
    if not equals:
        words = _words(inside)
        return _first_outlet([words]) if any(_is_title(w) for w in words) else ""
    words = _words(rest)
    if any(_is_title(w) for w in words):
        # [뉴욕=한빛일보 홍길동 특파원]: the outlet after "="; [한빛일보=홍길동 기자]: before it.
        return _first_outlet([words, _words(place)])
    return _dateline_outlet(place, rest, after)


def _dateline_outlet(place: str, rest: str, after: str) -> str:
    """(서울=연합뉴스) 홍길동 기자: the one word after "=", the place before it."""
    name = rest.strip()
    if _CREDIT.search(place):
        return ""
    if not 2 <= len(name) <= 15 or " " in name or not re.match(rf"[A-Za-z{HANGUL}]", name):
        return ""
    # A reporter or a desk follows ("홍길동 기자 =", "정책팀 =") unless the outlet is written
    # as one: "(파리 AFP 로이터=연합뉴스) 프랑스 파리 도심에서…".
    if not (_OUTLET_LIKE.search(name) or _REPORTERS.match(after) or _SIGNED.match(after)):
        return ""
    # "【샌프란시스코 = AP/뉴시스】": the story is the agency's, the article the outlet's.
    return name.rsplit("/", 1)[-1]


def _words(part: str) -> list[str]:
    """The words of a part of a byline, without bracketed places, roles and desks."""
    part = _BRACKETED_PLACE.sub(" ", _GLOSS.sub("", part))
    words = [w for w in _SEPARATORS.split(part) if w]
    return [w for w in words if w not in _ROLES and not (_DESK.match(w) and len(w) >= 3)]


def _is_title(word: str) -> bool:
    """A title, alone or with the name glued before it ("기자", "선임기자", "홍길동기자")."""
    match = _TITLE_WORD.search(word)
    if match is None or match.end() != len(word):
        return False
    before = word[: match.start()]
    return not before or re.fullmatch(_NAME, before) is not None


def _first_outlet(parts: list[list[str]]) -> str:
    """The first word of a part that is written as an outlet and stands before a reporter.

    A reporter's name comes between the outlet and the title: a word right before the title
    is the name, or has it glued on ("[한빛일보홍길동 기자]"), and is never taken.
    """
    for words in parts:
        if not words or _is_title(words[0]) or (len(words) > 1 and _is_title(words[1])):
            continue
        if len(words[0]) >= 2 and _OUTLET_LIKE.search(words[0]):
            return words[0]
    return ""
