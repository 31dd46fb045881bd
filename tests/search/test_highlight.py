from civiclink.search.highlight import mark, snippet


def test_marks_words_starting_with_a_term_in_any_script():
    assert mark("Žepče i Жепче, Zepce!", ["zep"]) == "<mark>Žepče</mark> i <mark>Жепче</mark>, <mark>Zepce</mark>!"
    assert mark("Љубљана", ["lju"]) == "<mark>Љубљана</mark>"
    assert mark("Đurđevdan u Đakovici", ["dj"]) == "<mark>Đurđevdan</mark> u <mark>Đakovici</mark>"
    assert mark("Lepo", ["ep"]) == "Lepo"  # prefixes, not infixes


def test_escapes_what_is_not_marked_and_what_is():
    assert mark('<b>"Tom & Jerry"</b>', ["tom"]) == "&lt;b&gt;&quot;<mark>Tom</mark> &amp; Jerry&quot;&lt;/b&gt;"


def test_decomposed_diacritics_are_one_word():
    assert mark("Z\u030cepc\u030ce", ["zepce"]) == "<mark>Žepče</mark>"


def test_snippet_is_the_start_of_the_text_without_a_match_and_cut_at_words():
    text = " ".join(f"word{number}" for number in range(100))
    start = snippet(text, ["missing"], width=50)
    assert start.startswith("word0 word1") and start.endswith(" …") and "<mark>" not in start
    around = snippet(text, ["word50"], width=50)
    assert around.startswith("… ") and "<mark>word50</mark>" in around
    assert snippet("Kratko.", ["kratko"]) == "<mark>Kratko</mark>."
