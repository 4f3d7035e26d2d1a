"""Chinese full-text search on PostgreSQL without a Chinese tokenizer.

PostgreSQL ships no Chinese word splitter (zhparser / pg_jieba are not installed here),
and pg_trgm ignores characters the database's C locale does not call letters, CJK among
them, and needs three characters before its index helps. So the text is cut into
overlapping two-character grams (bigrams), the approach CJK search engines fall back to:

    "科普日活动"  ->  科普:1 普日:2 日活:3 活动:4 动:5

Every run of Chinese characters gives its bigrams plus its last character alone (so a
one-character query still finds a character at the end of a run); Latin letters and
digits give lower-cased words. Positions are kept, so a query becomes a phrase of its
grams (``'科普' <-> '普日'``) and matches the text as typed, not grams scattered over
the article. The document side is built here, in Python, and stored as a ``tsvector``
column with a GIN index; the query side is built by the same rules.
"""

import re
import unicodedata

# CJK Unified Ideographs, extension A and the compatibility block.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]+|[a-z0-9]+")
_HAN_RUN = re.compile(rf"[{_HAN}]")
MAX_POSITION = 16383  # PostgreSQL's limit for a position in a tsvector
MAX_POSITIONS_PER_LEXEME = 256  # and for the number of positions kept per lexeme
MAX_QUERY_TERMS = 32


def normalize(text: str) -> str:
    """Full-width letters and digits to ASCII, lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _grams(text: str):
    """Yield (lexeme, position) for ``text``; see the module docstring."""
    position = 1
    for token in _TOKEN.findall(normalize(text)):
        if token[0] > "z":  # a run of Han characters
            for i in range(len(token) - 1):
                yield token[i : i + 2], position + i
            yield token[-1], position + len(token) - 1
            position += len(token)
        else:
            yield token, position
            position += 1


def document_vector(*parts: str) -> str:
    """The ``tsvector`` literal of the texts ``parts`` (title, summary, body text)."""
    positions: dict[str, list[str]] = {}
    for lexeme, position in _grams("\n".join(p for p in parts if p)):
        kept = positions.get(lexeme)
        if kept is None:
            positions[lexeme] = [str(min(position, MAX_POSITION))]
        elif len(kept) < MAX_POSITIONS_PER_LEXEME and position <= MAX_POSITION:
            kept.append(str(position))
    # Positions arrive in increasing order, one per lexeme at most; lexemes are Han
    # characters or [a-z0-9], so nothing needs quoting inside the quotes.
    return " ".join(f"'{lexeme}':{','.join(p)}" for lexeme, p in positions.items())


def query_text(q: str) -> str:
    """The ``tsquery`` (to_tsquery syntax) for what a reader typed, or ``""``.

    Each group of characters the reader typed together becomes a phrase of its grams;
    groups separated by spaces are all required. A lone Chinese character matches as a
    prefix (any gram that starts with it).
    """
    phrases = []
    for group in normalize(q).split():
        terms = []
        for match in _TOKEN.finditer(group):
            token = match.group(0)
            if _HAN_RUN.match(token) and len(token) > 1:
                terms.extend(token[i : i + 2] for i in range(len(token) - 1))
                # The run's last character sits at the same distance as the next token.
                terms.append(None)
            elif _HAN_RUN.match(token):
                terms.append(token + ":*")
            else:
                terms.append(token)
        while terms and terms[-1] is None:
            terms.pop()
        phrase = _phrase(terms[: MAX_QUERY_TERMS])
        if phrase:
            phrases.append(phrase)
    return " & ".join(phrases)


def _phrase(terms) -> str:
    """Join terms with ``<N>``, where a ``None`` widens the distance by one."""
    out, gap = [], 1
    for term in terms:
        if term is None:
            gap += 1
            continue
        if out:
            out.append(f"<{gap}>" if gap != 1 else "<->")
        out.append(term if term.endswith(":*") else f"'{term}'")
        gap = 1
    return " ".join(out)
