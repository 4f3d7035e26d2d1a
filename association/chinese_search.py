"""Chinese full-text search on PostgreSQL without a Chinese tokenizer.

PostgreSQL ships no Chinese word splitter (zhparser / pg_jieba are not installed here).
pg_trgm does cut Chinese into trigrams, but a LIKE '%科普%' needs a whole trigram inside
the pattern before its index helps, so the two-character words Chinese is full of fall
back to reading every body (2.9 s for an absent word at 100,000 articles). So the text
is cut into overlapping two-character grams (bigrams), the approach CJK search engines
fall back to:

    "科普日活动"  ->  科普 普日 日活 活动 动

Every run of Chinese characters gives its bigrams plus its last character alone (so a
one-character query still finds a character at the end of a run); Latin letters and
digits give lower-cased words. The article's category is one more lexeme (``@popsci``),
so "this word in this column" is answered by the index alone.

A query is the AND of its grams: 乡村振兴 → 乡村 & 村振 & 振兴. Because the grams overlap,
an article holding all of them almost always holds the phrase itself, and an AND query
is answered by the GIN index without re-reading any row (a phrase query would re-check
every candidate's tsvector, several kilobytes each, which is what made counts slow).
No positions are stored for the same reason: they would only serve phrase queries.
"""

import re
import unicodedata

# CJK Unified Ideographs, extension A and the compatibility block.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]+|[a-z0-9]+")
MAX_QUERY_TERMS = 32


def normalize(text: str) -> str:
    """Full-width letters and digits to ASCII, lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _grams(text: str) -> set[str]:
    grams = set()
    for token in _TOKEN.findall(normalize(text)):
        if token[0] > "z":  # a run of Han characters
            grams.update(token[i : i + 2] for i in range(len(token) - 1))
            grams.add(token[-1])
        else:
            grams.add(token)
    return grams


def category_lexeme(category: str) -> str:
    # "@" never occurs in a gram, so a category cannot be confused with text.
    return f"@{category}"


def document_vector(*parts: str, category: str = "") -> str:
    """The ``tsvector`` literal of the texts ``parts`` (title, summary, body text)."""
    grams = _grams("\n".join(p for p in parts if p))
    if category:
        grams.add(category_lexeme(category))
    # Lexemes are Han characters, [a-z0-9] or "@" + a category: nothing to escape.
    return " ".join(f"'{g}'" for g in sorted(grams))


def query_text(q: str, *, category: str = "") -> str:
    """The ``tsquery`` for what a reader typed (``""`` when it has nothing to search for).

    Every gram is required; a lone Chinese character matches as a prefix (any gram that
    starts with it, or the character alone at the end of a run).
    """
    terms = []
    for token in _TOKEN.findall(normalize(q)):
        if token[0] > "z" and len(token) > 1:
            terms.extend(f"'{token[i : i + 2]}'" for i in range(len(token) - 1))
        elif token[0] > "z":
            terms.append(f"{token}:*")
        else:
            terms.append(f"'{token}'")
    terms = list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]
    if not terms:
        return ""
    if category:
        terms.append(f"'{category_lexeme(category)}'")
    return " & ".join(terms)
