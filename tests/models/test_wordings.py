"""The wordings load from their YAML files, and a malformed file fails naming the file and the entry.

Runs in the layer's environment (no torch).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models.train.wordings import BATCHES, HERE, WordingsError, invented_names, paraphrase_batch


def test_every_batch_and_the_invented_names_load() -> None:
    for batch in BATCHES:
        wordings = paraphrase_batch(batch)
        assert wordings.clauses and wordings.family_templates and set(wordings.connectors) == {2, 3}
    names = invented_names()
    assert len(names.heads) > 10 and len(names.modifiers) > 5


def test_the_data_files_are_package_data() -> None:
    """An installed package finds them only if pyproject ships them beside the loader."""
    pyproject = (HERE.parents[2] / "pyproject.toml").read_text()
    assert '"models.train.wordings" = ["*.yaml"]' in pyproject
    assert sorted(p.name for p in HERE.glob("*.yaml")) == [
        "invented_names.yaml",
        *(f"paraphrases{n}.yaml" for n in BATCHES),
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("clauses: {}\nfamily_templates: {}\n", "exactly ['clauses', 'family_templates', 'connectors']"),
        ("clauses: {a: [x, 3]}\nfamily_templates: {}\nconnectors: {}\n", "clauses['a'][1]: expected a non-empty"),
        ("clauses: {a: []}\nfamily_templates: {}\nconnectors: {}\n", "clauses['a']: expected a non-empty list"),
        ("clauses: {}\nfamily_templates: {}\nconnectors: {two: ['{0} {1}']}\n", "key 'two' should be of type int"),
        ("clauses: [unclosed\n", "cannot be read as YAML"),
    ],
)
def test_a_malformed_file_names_itself_and_the_entry(tmp_path: Path, text: str, says: str) -> None:
    (tmp_path / "paraphrases9.yaml").write_text(text)
    with pytest.raises(WordingsError) as caught:
        paraphrase_batch(9, tmp_path)
    assert str(tmp_path / "paraphrases9.yaml") in str(caught.value)
    assert says in str(caught.value)
