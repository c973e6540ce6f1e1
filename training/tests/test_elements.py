import re

from training.elements import LABEL_NAMES, N_ELEMENTS, PREDICTED_ELEMENTS


def test_element_order_matches_typescript(repo_root):
    src = (repo_root / "src" / "predictedElements.ts").read_text()
    block = src.split("PREDICTED_ELEMENTS = [", 1)[1].split("]", 1)[0]
    ts = re.findall(r"'([A-Z][a-z]?)'", block)
    assert tuple(ts) == PREDICTED_ELEMENTS
    assert N_ELEMENTS == 53


def test_label_names_match_typescript(repo_root):
    src = (repo_root / "src" / "predictedElements.ts").read_text()
    block = src.split("LABEL_NAMES = [", 1)[1].split("] as const", 1)[0]
    scalars = re.findall(r"'(\w+)'", block)
    assert LABEL_NAMES[N_ELEMENTS:] == tuple(scalars)
    assert LABEL_NAMES[0] == "massFraction_K" and LABEL_NAMES[52] == "massFraction_Bi"
    assert len(LABEL_NAMES) == 62
