"""ec2cards' cards as Anki notes (interop/anki_notes.py), the shape the exporters, the importers
and sync share: the key field and GUID that bring a note back to its card, topic tags, and field
values in their note type's order."""

from __future__ import annotations

from ec2cards.interop.anki_notes import (
    BASIC,
    CLOZE,
    KEY_FIELD,
    NOTE_TYPES,
    anki_card_id,
    anki_tags,
    card_key,
    cloze_base,
    guid_for,
    note_key,
    possible_note_keys,
    split_key,
    tags_and_topics,
)
from ec2cards.interop.export_notes import build_notes
from ec2cards.model.cards import Card, CardKind

BASIC_CARD = Card(
    "ec2",
    "ports",
    CardKind.BASIC,
    "SSH port?",
    answer="22",
    accept=("tcp 22",),
    topics=("networking", "security"),
    tags=("exam prep", "  "),
    note="n",
    source="s",
)
CLOZE_CARD = Card(
    "ec2",
    "nitro-c2",
    CardKind.CLOZE,
    "",
    cloze_text="{{c1::Nitro}} is {{c2::AWS}}'s",
    cloze_number=2,
    topics=("virtualization",),
)


def test_a_cloze_card_is_on_its_note_and_comes_back_from_it() -> None:
    assert cloze_base(CLOZE_CARD) == "nitro"
    assert note_key(CLOZE_CARD) == "ec2/nitro"
    assert card_key("ec2/nitro", True, 1) == CLOZE_CARD.key
    assert note_key(BASIC_CARD) == BASIC_CARD.key == card_key("ec2/ports", False, 0)
    assert possible_note_keys(CLOZE_CARD.key) == ("ec2/nitro-c2", "ec2/nitro")
    assert possible_note_keys(BASIC_CARD.key) == ("ec2/ports",)
    assert possible_note_keys("ec2/c2") == ("ec2/c2",)  # no note key without a base


def test_a_guid_is_the_same_for_a_key_every_time_and_differs_between_keys() -> None:
    assert guid_for("ec2/ports") == guid_for("ec2/ports")
    assert guid_for("ec2/ports") != guid_for("ec2/nitro")
    assert len(guid_for("ec2/ports")) >= 8


def test_the_key_field_reads_back_only_as_deck_and_card_id() -> None:
    assert split_key(" ec2/ports \n") == ("ec2", "ports")
    assert split_key("ec2") is None
    assert split_key("EC2/Ports") is None
    assert split_key("ec2/ports/extra") is None


def test_topics_travel_as_tags_and_come_back_as_topics() -> None:
    tags = anki_tags(BASIC_CARD)
    assert tags == ("topic::networking", "topic::security", "exam_prep")
    assert tags_and_topics(list(tags)) == (["networking", "security"], ["exam_prep"])
    assert tags_and_topics(["Topic::x", "topic::Not A Slug", "x", "x"]) == (
        ["x"],
        ["topic::Not A Slug", "x"],
    )


def test_a_foreign_note_gets_a_stable_card_id_from_its_guid() -> None:
    made = anki_card_id("abc123")
    assert made == anki_card_id("abc123") != anki_card_id("abc124")
    assert made.startswith("anki-") and len(made) == len("anki-") + 10


def test_field_values_follow_their_note_type_with_the_key_where_it_says() -> None:
    basic, cloze = build_notes([BASIC_CARD, CLOZE_CARD])
    assert (basic.note_type, cloze.note_type) == (BASIC, CLOZE)
    for note in (basic, cloze):
        fields = dict(zip(note.note_type.fields, note.fields(), strict=True))
        assert fields[KEY_FIELD] == note.key
        assert note.guid == guid_for(note.key)
    assert dict(zip(BASIC.fields, basic.fields(), strict=True))["Accept"] == "tcp 22"
    assert cloze.key == "ec2/nitro" and cloze.deck == "EC2::virtualization"
    assert [t.cloze for t in NOTE_TYPES] == [False, True]
    assert len({t.model_id for t in NOTE_TYPES}) == 2
