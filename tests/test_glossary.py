"""GLOSSARY.md: every term has its Chinese, a definition and a link to a notebook that exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "GLOSSARY.md").read_text(encoding="utf-8")
ROWS = [
    [c.strip() for c in line.strip().strip("|").split("|")]
    for line in TEXT.splitlines()
    if line.startswith("| ") and not line.startswith("| English") and not line.startswith("| ---")
]
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")

# The source text's terms the course must define (English, Chinese).
REQUIRED = [
    ("neuron", "神经元"), ("weight", "权重"), ("bias", "偏置"), ("activation function", "激活函数"),
    ("loss function", "损失函数"), ("gradient descent", "梯度下降"), ("learning rate", "学习率"),
    ("backpropagation", "反向传播"), ("feed-forward network", "前馈神经网络"),
    ("convolutional neural network", "卷积神经网络"), ("convolution", "卷积"), ("pooling", "池化"),
    ("overfitting", "过拟合"), ("generalization", "泛化能力"), ("large model", "大模型"),
    ("parameter", "参数"), ("training", "训练"), ("optimizer", "优化器"), ("batch size", "批大小"),
    ("epoch", "轮次"), ("parallel computing", "并行计算"), ("interpretability", "可解释性"),
    ("data privacy", "数据隐私"), ("dense layer", "全连接层"), ("softmax", "Softmax"),
    ("cross-entropy", "交叉熵"), ("mean squared error", "均方误差"), ("momentum", "动量"),
    ("chain rule", "链式法则"), ("computational graph", "计算图"), ("feature map", "特征图"),
    ("kernel", "卷积核"), ("stride", "步幅"), ("padding", "填充"), ("data augmentation", "数据增强"),
    ("regularization", "正则化"), ("weight decay", "权重衰减"), ("early stopping", "早停"),
    ("mixed precision", "混合精度"), ("data parallelism", "数据并行"), ("GPU", "GPU"),
]


def test_every_row_has_chinese_a_definition_and_one_notebook_link():
    assert len(ROWS) >= 60
    for english, chinese, definition, taught in ROWS:
        assert english and chinese and len(definition) > 20, english
        assert len(LINK.findall(taught)) == 1, f"{english}: one link to the notebook that teaches it"


def test_every_link_points_to_an_existing_notebook():
    links = LINK.findall(TEXT)
    assert links
    for label, target in links:
        assert re.fullmatch(r"notebooks/\d\d_\w+\.ipynb", target), f"{target}: not a notebook link"
        assert (ROOT / target).is_file(), f"{target} does not exist"
        assert target.startswith(f"notebooks/{label}_"), f"link text {label!r} does not match {target}"


def test_the_source_texts_terms_are_all_defined():
    english = {r[0].split(" †")[0].split(" (")[0].lower(): r for r in ROWS}
    for term, chinese in REQUIRED:
        row = english.get(term.lower())
        assert row is not None, f"{term} is missing"
        assert chinese in row[1], f"{term}: expected {chinese}, found {row[1]}"
