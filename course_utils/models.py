"""The source text's CNN, defined once so that notebooks 09 and 10 and the benchmarks
share it. Notebook 08 builds it step by step first, then checks it equals this one.

Keras, as in the source text:
    Conv2D(32, (3,3), relu) -> MaxPooling2D(2) -> Conv2D(64, (3,3), relu) -> MaxPooling2D(2)
    -> Flatten -> Dense(128, relu) -> Dense(10, softmax)      # 225,034 parameters
"""

from __future__ import annotations


def source_cnn():
    """The source text's CNN in PyTorch: input ``(N, 1, 28, 28)``, output logits ``(N, 10)``.

    Shapes: 28 -conv3-> 26 -pool-> 13 -conv3-> 11 -pool-> 5; 64*5*5 = 1600 -> 128 -> 10.
    The final softmax of the Keras code is left out: ``nn.CrossEntropyLoss`` takes logits
    and applies log-softmax itself, which is more accurate than log(softmax(z)).
    """
    from torch import nn

    return nn.Sequential(
        nn.Conv2d(1, 32, kernel_size=3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, kernel_size=3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(1600, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )


def count_parameters(model) -> int:
    """Trainable parameters of a ``torch.nn.Module`` (what Keras's ``model.summary()`` totals)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
