"""course_utils.i18n: messages and figure text in the learner's language, from gettext catalogs."""

import gettext

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from course_utils import i18n  # noqa: E402


class FakeCatalog(gettext.NullTranslations):
    def __init__(self, table):
        super().__init__()
        self._catalog = table

    def gettext(self, message):
        return self._catalog.get(message, message)


@pytest.fixture
def chinese(monkeypatch):
    tables = {
        i18n.DOMAIN: {"wrong values": "数值错误"},
        i18n.FIGURES: {"learning curves": "学习曲线", "accuracy {}%": "准确率 {}%",
                       "loss after {} steps: {}": "{} 步后的损失：{}"},
    }
    monkeypatch.setattr(i18n, "_catalog", lambda lang, domain: FakeCatalog(tables[domain]))
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def test_english_by_default_and_untranslated_messages_stay_english():
    assert i18n.get_language() == "en"
    assert i18n._("wrong values") == "wrong values"


def test_set_language_accepts_zh_variants_and_rejects_others():
    try:
        assert i18n.set_language("zh_CN") == "zh"
        with pytest.raises(ValueError, match="language must be one of"):
            i18n.set_language("fr")
    finally:
        i18n.set_language("en")


def test_messages_are_translated_then_formatted(chinese):
    assert i18n._("wrong values") == "数值错误"
    assert i18n._("no such message {x}").format(x=1) == "no such message 1"


def test_figure_text_exact_and_by_template_with_the_numbers_put_back(chinese):
    assert i18n.figure_text("learning curves") == "学习曲线"
    assert i18n.figure_text("accuracy 98.5%") == "准确率 98.5%"
    assert i18n.figure_text("loss after 1,000 steps: 0.35") == "1,000 步后的损失：0.35"
    assert i18n.figure_text("W1") == "W1"  # names and maths are not words to translate
    assert i18n.figure_text("$\\sigma(z)$") == "$\\sigma(z)$"


def test_templates_keep_digits_inside_names():
    assert i18n.template_of("conv1 filters after 3 epochs") == "conv1 filters after {} epochs"
    assert i18n.template_of("lr = 4e-3, batch {}") == "lr = {}, batch {{}}"


def test_the_hook_translates_titles_labels_legends_and_ticks_as_they_are_set(chinese):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="accuracy 50%")
    ax.set_title("learning curves")
    ax.set_xticks([0, 1], ["learning curves", "x"])
    legend = ax.legend()
    assert ax.get_title() == "学习曲线"
    assert legend.get_texts()[0].get_text() == "准确率 50%"
    assert ax.get_xticklabels()[0].get_text() == "学习曲线"
    plt.close(fig)


def test_back_in_english_the_hook_is_gone():
    i18n.set_language("en")
    fig, ax = plt.subplots()
    ax.set_title("learning curves")
    assert ax.get_title() == "learning curves"
    plt.close(fig)


def test_strict_mode_names_the_untranslated_figure_text(chinese, monkeypatch):
    monkeypatch.setenv("COURSE_I18N_STRICT", "1")
    with pytest.raises(LookupError, match="'a title nobody translated'.*figures.po"):
        i18n.figure_text("a title nobody translated")


def test_logging_collects_templates_for_the_translators(tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("COURSE_FIGURE_TEXT_LOG", str(log))
    i18n.set_language("en")  # logging alone installs the hook, in English too
    try:
        fig, ax = plt.subplots()
        ax.set_title("accuracy 97.2%")
        ax.set_xlabel("epoch")
        plt.close(fig)
    finally:
        monkeypatch.delenv("COURSE_FIGURE_TEXT_LOG")
        i18n.set_language("en")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert '"accuracy {}%"' in lines and '"epoch"' in lines
