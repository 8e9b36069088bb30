"""Reading articles: furniture removal, metadata, languages, and clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import IngestError, MetadataError
from kg.ingest.readers import clean_text, read_documents

STORY = (
    "Gunmen attacked an army post near Djibo in northern Burkina Faso on Sunday, killing at least "
    "twelve soldiers, the army said in a statement on Monday."
)


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_furniture_is_removed() -> None:
    page = "\n".join(
        [
            "Home | News | Sahel | Security | Opinion | Video | Contact | About us | Archives | Jobs",
            "Subscribe to our newsletter",
            "Home",
            "Sahel Desk",
            "Posted On 3 March 2024",
            "Read 1234 times",
            STORY,
            "Dans la nuit de dimanche, des hommes armés ont attaqué un poste de l'armée près de Djibo.",
            "https://t.co/abc pic.twitter.com/xyz— Someone (@someone) March 3, 2024",
            "More on the Sahel",
            "Unrelated teaser about an election in Senegal with many words in the sentence to look like text.",
            "Leave a Reply",
            "Your email address will not be published.",
        ]
    )
    assert clean_text(STORY + "\nTags: Burkina Faso, Djibo, army\nNext article\nNiger: a teaser about Niamey")[0] == [
        STORY
    ]
    body, header = clean_text(page)
    assert body[0] == STORY
    assert body[1].startswith("Dans la nuit")
    assert len(body) == 2
    assert "Posted On 3 March 2024" in header
    assert not any("Senegal" in line or "Reply" in line or "1234" in line for line in body)


def test_advertisement_lines_are_furniture() -> None:
    """An advert between two paragraphs of the story is dropped; the paragraph after it is kept."""
    body, _ = clean_text(f"{STORY}\nADVERTISEMENT - Fly to Dakar from 199 EUR - book now\nPublicité\n{STORY}")
    assert body == [STORY, STORY]


def test_teasers_tickers_and_click_baits_are_furniture() -> None:
    """Inline 'read also' teasers, '>>' links, '>>>' tickers and 'click here' adverts name other stories."""
    furniture = [
        ">> LIRE AUSSI : Ségou : la foire annuelle reportée",
        "Voir aussi : Kayes sous les eaux",
        "LIVE: the summit in Accra, minute by minute >>",
        "EN CONTINU >>> Gao : coupure d'eau >>> Mopti : rentrée scolaire",
        "Cheap flights to Lomé, book in two minutes. Click here!",
    ]
    body, _ = clean_text("\n".join([STORY, *furniture, STORY]))
    assert body == [STORY, STORY]


def test_directory_with_sidecar(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", STORY)
    write(
        tmp_path,
        "meta.jsonl",
        json.dumps(
            {
                "file": "a.txt",
                "published": "2024-03-04",
                "publisher": "Desk",
                "title": "T",
                "url": "https://example.org/a",
                "language": "en",
            }
        ),
    )
    [doc] = list(read_documents([tmp_path]))
    assert (doc.key, doc.published.isoformat(), doc.publisher, doc.title) == ("a.txt", "2024-03-04", "Desk", "T")
    assert not doc.published_inferred and doc.published_basis == "metadata"
    assert doc.paragraphs[0].language == "en"
    assert len(doc.content_hash) == 64


def test_publication_date_inferred_from_dateline(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Posted On 3 March 2024\n" + STORY)
    [doc] = list(read_documents([tmp_path / "a.txt"]))
    assert doc.published is not None and doc.published.isoformat() == "2024-03-03"
    assert doc.published_inferred and "Posted On" in (doc.published_basis or "")


def test_french_paragraph_is_tagged(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", STORY + "\n« Nous avons repoussé les assaillants », a déclaré un officier de l'armée.")
    [doc] = list(read_documents([tmp_path / "a.txt"]))
    assert [p.language for p in doc.paragraphs] == ["en", "fr"]
    assert doc.text[doc.paragraphs[1].start :].startswith("«")


def test_html_main_text(tmp_path: Path) -> None:
    html = (
        f"<html><head><title>Djibo attack</title></head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>Djibo attack</h1><p>{STORY}</p><p>{STORY.replace('twelve', 'ten')}</p></article>"
        f"<footer>Copyright Example News</footer></body></html>"
    )
    write(tmp_path, "a.html", html)
    [doc] = list(read_documents([tmp_path / "a.html"]))
    assert "Gunmen attacked" in doc.text and "Copyright" not in doc.text and "Sport" not in doc.text


def test_jsonl_holds_several_articles(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "one", "text": STORY, "published": "2024-03-04"}),
        json.dumps({"id": "two", "text": STORY.replace("Djibo", "Dori")}),
    ]
    write(tmp_path, "batch.jsonl", "\n".join(lines))
    docs = list(read_documents([tmp_path / "batch.jsonl"]))
    assert [d.key for d in docs] == ["one", "two"]
    assert docs[0].published is not None and docs[1].published is None


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("empty.txt", "", "file is empty"),
        ("blank.txt", "   \n\n", "file is empty"),
        ("binary.txt", b"\x00\x01\x02garbage", "binary file"),
        ("latin1.txt", "Ségou".encode("latin-1") + b" attack on the town", "not valid UTF-8"),
        ("notes.pdf", "text", "unsupported file type"),
        ("menu.txt", "Home\nMenu\nSearch", "no text left"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path: Path, name: str, content: str | bytes, problem: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(IngestError) as caught:
        list(read_documents([path]))
    assert caught.value.path == str(path)
    assert problem in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        list(read_documents([tmp_path / "nope.txt"]))


@pytest.mark.parametrize(
    "line, problem",
    [
        ("{not json", "invalid JSON"),
        ('{"published": "2024-01-01"}', "'file' string"),
        ('{"file": "a.txt", "published": "yesterday"}', "not an ISO date"),
    ],
)
def test_bad_sidecar_lines_name_the_line(tmp_path: Path, line: str, problem: str) -> None:
    write(tmp_path, "a.txt", STORY)
    write(tmp_path, "meta.jsonl", line)
    with pytest.raises(MetadataError) as caught:
        list(read_documents([tmp_path]))
    assert f"{tmp_path / 'meta.jsonl'}:1" in str(caught.value)
    assert problem in str(caught.value)


def test_bad_jsonl_line(tmp_path: Path) -> None:
    write(tmp_path, "batch.jsonl", json.dumps({"id": "x", "text": STORY}) + '\n{"id": "y"}')
    with pytest.raises(IngestError, match=r"batch.jsonl:2: each line needs a non-empty 'text'"):
        list(read_documents([tmp_path / "batch.jsonl"]))


def test_title_is_the_headline_not_the_slogan_or_dateline(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.txt",
        "Your Window on the Sahel!\nArmy post near Djibo overrun by jihadists\nPosted On 4 March 2024\n" + STORY,
    )
    [doc] = list(read_documents([tmp_path / "a.txt"]))
    assert doc.title == "Army post near Djibo overrun by jihadists"
