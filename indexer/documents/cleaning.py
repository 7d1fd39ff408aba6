"""The line classifier: which lines of a page or a text are the story, and by what rule not.

Every page, HTML or text, goes through it, and so does the text of a JSONL record; the body is
always a subset of the document's own lines, in order and unchanged, so snippets and
highlighting can point back into `raw`.
"""

from __future__ import annotations

import re
from collections import Counter

from indexer.text.scripts import HAN, HANGUL, HANGUL_RE

# A line that reads as running prose: long enough and closed like a sentence.
_MIN_PROSE = 40
_MIN_PARAGRAPH = 80
# Korean subheads may end in a bare "다" ("◇연구소 설립 나선다"); captions are longer.
_MIN_CAPTION = 30
# Closing quotes and brackets may follow the full stop: `...말했다.”`, `...said.")`.
_PROSE_END = re.compile(r"[.!?。\uff01\uff1f…][\"'\u201d\u2019)\]]*$")
# Korean body sentences end in "다." or "요."; "?", "!" and "…" endings are headline style
# ("...넘어갈까?", "...숨졌는데…”") and mark list items and teasers.
_KO_PROSE_END = re.compile(r"[.。][\"'\u201d\u2019)\]]*$")
_HANGUL = HANGUL_RE
_SENTENCE_BREAK = re.compile(r"[.!?。][\"'\u201d\u2019)\]]*\s+(?=\S)")

_SKIP_NAV = re.compile(
    r"바로\s*가기|skip to (main )?(content|navigation)|본문\s*(영역|컨텐츠)", re.I
)
_COPYRIGHT = re.compile(
    r"무단\s*전재|재배포\s*금지|저작권자|copyright|all rights reserved|ⓒ|©|\(c\)\s*\d{4}", re.I
)
# What makes a line a copyright notice and not a sentence that mentions copyright.
_NOTICE = re.compile(r"무단\s*전재|재배포|저작권자|all rights reserved|ⓒ|©|\(c\)\s*\d{4}", re.I)
# A source line under a press release: "*source : 대한민국 정책브리핑 보도자료", "출처: ...".
_SOURCE_LINE = re.compile(r"^[*※]?\s*(?:source|출처|자료\s*제공)\s*[:：]", re.I)
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_EMAIL_ONLY = re.compile(rf"^[<(\[]?{_EMAIL}[>)\]]?$")
# "홍길동 기자", "[서울=뉴스1] 홍길동 기자 = ", "이소연 기자 soyeon@...", "By Jane Doe, Seoul"
_BYLINE = re.compile(
    rf"^(?:(?:[\[(][^\])]{{1,20}}[\])]\s*)?[\[(]?[{HANGUL}]{{2,4}}(?:\s?[(（][{HAN}]{{2,4}}[)）])?"
    r"\s?(?:수석|선임|객원|인턴)?\s?"
    r"(?:기자|특파원|통신원|에디터|리포터|논설위원)"
    rf"[\])]?\s*(?:{_EMAIL})?\s*=?"
    r"|(?i:by)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:,\s*.{0,40})?)$"
)
_CREDITS = re.compile(r"^(?:additional )?(?:reporting|writing|editing) by\b", re.I)
_DATE_LINE = re.compile(
    r"^(?:기사\s*승인|승인|입력|등록|수정|발행|게재|업데이트|최종\s*수정|published|updated|posted)"
    r"\s*(?:일|일시|시간)?\s*[:\uff1a]?\s*\d{2,4}",
    re.I,
)
_BARE_DOMAIN = re.compile(r"^(?:https?://)?(?:www\d?\.)?[\w-]+(?:\.[\w-]+)+/?$")
_NUMBER_ONLY = re.compile(r"^[\d.,:%+\-\s]+$")
# Words that make up share/print/font-size/reaction/comment rows in Korean and English.
# fmt: off
_WIDGET_WORDS = frozenset({
    "공유", "공유하기", "페이스북", "트위터", "카카오톡", "카카오스토리", "밴드",
    "네이버블로그", "링크복사", "url복사", "인쇄", "프린트", "스크랩", "글자크기", "글씨크기",
    "크게", "작게", "확대", "축소", "북마크", "구독", "좋아요", "추천", "추천해요", "슬퍼요",
    "화나요", "놀라워요", "후속기사원해요", "댓글", "조회수", "조회", "목록", "이전", "다음",
    "기사", "보내기", "메일",
    "share", "print", "email", "tweet", "facebook", "twitter", "kakao", "whatsapp", "copy",
    "link", "comments", "comment", "reply", "like", "subscribe", "bookmark", "font", "size",
    "save", "listen",
})
# fmt: on
# Headings of "most read", "recommended", "related" blocks; what follows them is not the story.
_LIST_HEADING = re.compile(
    r"(많이\s*본|인기|랭킹|추천|관련\s*기사|관련\s*뉴스|함께\s*(보면|볼)|지금\s*뜨는|최신\s*기사|"
    r"주요\s*뉴스|당신을 위한|most (read|popular|viewed)|related|recommended|trending|"
    r"you (may|might) (also )?like|read more|more stories|top stories)",
    re.I,
)
# Photo captions: "...하고 있다. 연합뉴스", "...있다./뉴스1", "(사진=...)" or a Korean
# declarative sentence left without its full stop, which captions do and body text doesn't.
_CREDIT_TAIL = re.compile(
    r"다\.?\s*/\s*[\w가-힣]{1,10}$|다\.\s+(?:(?:사진|자료)\s*=\s*)?[\w가-힣]{1,10}(?:\s?제공)?$"
    r"|^[\[(]?(?:사진|자료|photo)\s*[=:]|[\[(](?:사진|자료|그래픽|출처|photo)\s*[=:][^\])]*[\])]$"
    # wire credits: "REUTERS/Kim Hong-Ji", "(AP Photo/Ahn Young-joon)", "AFP/Getty Images"
    r"|(?-i:\b(?:[A-Z]{2,}|AP Photo|Photo))\s*/\s*[A-Z][\w.'-]+(?:[ -][A-Z][\w.'-]+)*\)?$",
    re.I,
)


# Broadcast transcripts: anchor, reporter and interview markers on a line of their own
# ("◀ 앵커 ▶", "[리포트]", "<기자>", "[업계 관계자]", "[뉴스데스크]◀ 앵커 ▶"), optionally with
# the speaker's name and title ("◀ 인터뷰 ▶ 홍길동/서울시민"). They are the story's own text.
_LABEL = r"(?:\[[^\[\]]{1,15}\]|<[^<>]{1,15}>|◀[^◀▶]{1,15}▶|【[^【】]{1,15}】|［[^［］]{1,15}］)"
_SPEAKER = re.compile(
    rf"^(?:{_LABEL}\s*)+(?:[가-힣]{{1,5}}(?:\s[가-힣]{{1,2}})?\s?/\s?[^/]{{1,30}})?$"
)
# A line that ends as a spoken or written Korean sentence does, or an English one.
_SENTENCE_END = re.compile(r"(?:[다요죠]\.|요\?|[.!?])[\"'\u201d\u2019)\]]*$")
# The same without plain questions: headlines ask ("...넘어갈까?") but do not state with a
# stop, nor ask politely as speech does ("...생각하십니까?", "...했나요?").
_STATEMENT_END = re.compile(r"(?:[.!。]|(?:니까|[요죠])\?)[\"'\u201d\u2019)\]]*$")


# Marks that open a subhead or a list item in Korean news.
_BULLETS = frozenset("▽◇◆■□▲△●○◎※☞")


def _norm(line: str) -> str:
    return " ".join(line.split())


def is_prose(line: str) -> bool:
    """True for a line that reads as a paragraph of running text."""
    text = line.strip()
    if len(text) < _MIN_PROSE:
        return False
    end = _KO_PROSE_END if _HANGUL.search(text) else _PROSE_END
    if end.search(text):
        return True
    # A paragraph cut short (a saved page or feed that truncates its text) still reads as
    # prose when it holds several sentences; menus, credits and captions do not.
    return len(text) >= 2 * _MIN_PARAGRAPH and len(_SENTENCE_BREAK.findall(text)) >= 2


def is_caption(line: str) -> bool:
    """True for a photo caption or a caption with its photo credit."""
    return _caption_rule(line) is not None


def _caption_rule(line: str) -> str | None:
    text = line.strip()
    if len(text) >= _MIN_CAPTION and text.endswith("다") and " " in text:
        return "caption (no full stop)"
    if _CREDIT_TAIL.search(text) and not _PROSE_END.search(text):
        return "caption (photo credit)"
    return None


def is_widget_row(line: str) -> bool:
    """True for share/print/font-size/reaction/comment rows and other button labels."""
    text = line.strip()
    if _SENTENCE_END.search(text) or text[:1] in _BULLETS:
        return False  # "다음 소식입니다." is speech, "▽추천 방식" a subhead: not buttons
    words = re.findall(r"[\w가-힣]+", line.lower())
    words = [w for w in words if not w.isdigit()]
    if not words or len(words) > 12:
        return False
    hits = sum(1 for w in words if w in _WIDGET_WORDS or w.rstrip("0123456789") in _WIDGET_WORDS)
    return hits / len(words) >= 0.5


def is_boilerplate(line: str, title: str = "") -> bool:
    """True for a line that is page furniture whatever its neighbours are."""
    return boilerplate_rule(line, title) is not None


_PATTERNS = (
    ("email", _EMAIL_ONLY),
    ("byline", _BYLINE),
    ("credits", _CREDITS),
    ("date line", _DATE_LINE),
    ("domain", _BARE_DOMAIN),
)


def ends_as_sentence(line: str) -> bool:
    """True for a line closed as a sentence is ("...했다.", "...했습니다.", "...said.")."""
    return bool(_STATEMENT_END.search(line.strip()))


def is_speaker_line(line: str) -> bool:
    """True for a transcript's anchor, reporter or interview marker line."""
    text = _norm(line)
    return len(text) <= 60 and bool(_SPEAKER.match(text))


def boilerplate_rule(line: str, title: str = "") -> str | None:
    """The rule by which a line is page furniture whatever its neighbours are, or None."""
    text = _norm(line)
    if not text or _NUMBER_ONLY.match(text):
        return "empty or number"
    if title and (text == title or (text.startswith(title + " ") and len(text) - len(title) < 40)):
        return "headline"  # the headline itself, or its "title - Outlet (site)" link-card form
    if len(text) < 120 and _SKIP_NAV.search(text):
        return "navigation"
    notice = _NOTICE.search(text) or not _SENTENCE_END.search(text)
    if len(text) < 120 and _COPYRIGHT.search(text) and notice:
        return "copyright"
    if _SOURCE_LINE.match(text):
        return "source line"
    for name, rx in _PATTERNS:
        if rx.match(text):
            return name
    if is_widget_row(text):
        return "share row"
    if is_speaker_line(text):
        return None
    return _caption_rule(text)


def _repeated(lines: list[str]) -> set[int]:
    # A short line seen twice on one page is furniture (alt text + caption, headlines, the
    # same "most read" list in two places): every copy goes. A paragraph seen twice keeps
    # its first copy. A cut-off copy of a longer line is a link-preview card quoting it.
    normed = [_norm(x) for x in lines]
    counts = Counter(x for x in normed if x)
    dropped: set[int] = set()
    seen: set[str] = set()
    for i, text in enumerate(normed):
        # A transcript names its speakers again and again: their markers stay.
        again = counts[text] > 1 and (not is_prose(text) or text in seen)
        if text and again and not is_speaker_line(text):
            dropped.add(i)
        seen.add(text)
    long_lines = sorted({x for x in counts if len(x) >= _MIN_PROSE}, key=len)
    for i, short in enumerate(long_lines):
        if any(other.startswith(short) for other in long_lines[i + 1 :]):
            dropped.update(j for j, text in enumerate(normed) if text == short)
    return dropped


def _list_blocks(lines: list[str]) -> set[int]:
    # Under a "most read"/"related" heading everything up to the next paragraph is a list;
    # a one-sentence teaser there still reads as prose, so the paragraph must be longer.
    dropped: set[int] = set()
    inside = False
    for i, line in enumerate(lines):
        text = _norm(line)
        if not text:
            continue
        if len(text) <= 30 and _LIST_HEADING.search(text) and not is_prose(text):
            inside = True
            dropped.add(i)
        elif inside and is_prose(text) and len(text) >= _MIN_PARAGRAPH:
            inside = False
        elif inside:
            dropped.add(i)
    return dropped


# Rules that need the page around a line to be right: a short line outside the story, a line
# repeated, a list under a "most read" heading, a number alone, a caption told by its missing
# full stop. Article text (``TEXT``) keeps all of these; a saved page (``PAGE``) applies them.
PAGE, TEXT = "page", "text"
_PAGE_ONLY = frozenset(
    {"outside the story", "repeated", "list block", "empty or number", "caption (no full stop)"}
)
# Lines that show a text is a saved page, not article text: share rows, navigation, copyright
# notices, "most read" headings, date stamps, bare web addresses.
_FURNITURE = frozenset({"share row", "navigation", "copyright", "date line", "domain"})
_HEADING_ONLY = re.compile(
    r"^\W*(?:많이\s*본|인기|랭킹|추천|관련|최신|주요|지금\s*뜨는|함께\s*(?:보면|볼))\s*"
    r"(?:뉴스|기사|포토|영상|동영상|콘텐츠)?\s*(?:좋은\s*기사)?\W*$"
    r"|^\W*(?:most (?:read|popular|viewed)|related|recommended|trending|top stories)\W*$",
    re.I,
)
PAGE_EVIDENCE_LINES = 3
PAGE_EVIDENCE_KINDS = 2


def text_kind(lines: list[str]) -> str:
    """``PAGE`` if article text carries furniture of a saved page, else ``TEXT``.

    JSONL records from a crawler or a dataset are usually article text; one that holds at
    least three furniture lines of two kinds (a share row and a copyright notice, say) is a
    page saved into a record, and is cleaned as one.
    """
    kinds: Counter[str] = Counter()
    for line in lines:
        text = _norm(line)
        if not text:
            continue
        rule = "list heading" if _HEADING_ONLY.match(text) else boilerplate_rule(text)
        if rule in _FURNITURE or rule == "list heading":
            kinds[rule] += 1
    page = sum(kinds.values()) >= PAGE_EVIDENCE_LINES and len(kinds) >= PAGE_EVIDENCE_KINDS
    return PAGE if page else TEXT


def clean_lines(lines: list[str], title: str = "", kind: str = PAGE) -> list[int]:
    """Return the indexes of the lines that form the article body, in order."""
    return [i for i, rule in enumerate(line_rules(lines, title, kind)) if rule is None]


def line_rules(lines: list[str], title: str = "", kind: str = PAGE) -> list[str | None]:
    """For each line, the rule that drops it from the body, or None for a line kept.

    A saved page (``PAGE``) goes through every rule. Article text (``TEXT``) loses only lines
    with positive evidence of their own (a share row, a copyright notice, a byline, a photo
    credit), never a line merely for being short or where it stands.
    """
    title = _norm(title)
    if kind == TEXT:
        rules = [boilerplate_rule(line, title) for line in lines]
        return [None if rule in _PAGE_ONLY else rule for rule in rules]
    repeated = _repeated(lines)
    listed = _list_blocks(lines)
    rules: list[str | None] = []
    for i, line in enumerate(lines):
        if is_speaker_line(line) and boilerplate_rule(line, title) is None:
            rules.append(None)
        elif i in listed:
            rules.append("list block")
        elif i in repeated:
            rules.append("repeated")
        else:
            rules.append(boilerplate_rule(line, title))
    anchors = [
        i
        for i, rule in enumerate(rules)
        if rule is None and (is_prose(lines[i]) or is_speaker_line(lines[i]))
    ]
    if not anchors:
        # A short text (a JSONL snippet, a one-line note) has no prose to anchor on.
        return rules
    # The story runs from its first to its last prose paragraph (or transcript marker), and on
    # over the spoken sentences next to it ("MBC뉴스 홍길동입니다."); short lines inside that
    # span are subheads and list items, short lines outside it are menus and credits.
    first, last = anchors[0], anchors[-1]
    while first > 0 and _continues(lines[first - 1], rules[first - 1]):
        first -= 1
    while last + 1 < len(lines) and _continues(lines[last + 1], rules[last + 1]):
        last += 1
    return [
        "outside the story" if rule is None and not first <= i <= last else rule
        for i, rule in enumerate(rules)
    ]


def _continues(line: str, rule: str | None) -> bool:
    """True for a line the story's span may grow over: blank, or a kept spoken sentence."""
    text = line.strip()
    return not text or (rule is None and _HANGUL.search(text) and _SENTENCE_END.search(text))
