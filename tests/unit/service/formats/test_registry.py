"""One home for the formats: one table of names, one default, status words taken from the protocol."""

from __future__ import annotations

from typing import get_args

from service.action_space import ActionSpace
from service.formats import (
    DEFAULT_FORMAT,
    FORMAT_SETTINGS,
    IMPLICIT_STATUS,
    STATUS_WORDS,
    OutputFormatName,
    make_output_format,
)
from service.formats.base import END_WORDS
from service.protocol import STATUSES, TERMINAL_STATUSES, Control
from service.settings import Settings


def test_status_words_are_the_protocols() -> None:
    assert (IMPLICIT_STATUS, *STATUS_WORDS) == STATUSES
    assert END_WORDS == TERMINAL_STATUSES == ("FINISH", "FAIL")
    assert set(END_WORDS) <= set(STATUS_WORDS)


def test_every_setting_has_one_format_and_card_name() -> None:
    settings = get_args(OutputFormatName)
    assert sorted(FORMAT_SETTINGS.values()) == sorted(settings)
    for card_name, setting in FORMAT_SETTINGS.items():
        assert make_output_format(setting).name == card_name
    assert FORMAT_SETTINGS == {"compact-v1": "compact", "compact-v2": "compact-v2", "json-v1": "json"}


def test_settings_default_is_the_registrys() -> None:
    assert Settings.model_fields["output_format"].default == DEFAULT_FORMAT == "compact-v2"


def test_read_is_parse_then_ground(word: ActionSpace) -> None:
    controls = [Control(label="1", control_type="Button", name="Bold"), Control(label="2", name="Bold")]
    for setting in get_args(OutputFormatName):
        fmt = make_output_format(setting)
        screen = fmt.screen(controls)
        assert screen.controls == {"1": controls[0], "2": controls[1]}
        assert screen.references == fmt.references(controls)
        text = fmt.render(word, "click_input", "1", {"double": True}, "FINISH")
        grounded = fmt.read(text, word, screen)
        assert grounded.action is not None and grounded.action.control_label == "1"
        assert grounded.action.control_text == "Bold" and grounded.status == "FINISH"
