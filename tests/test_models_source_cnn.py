"""course_utils.models: the source text's CNN has Keras's 225,034 parameters and the right shapes."""

import pytest

torch = pytest.importorskip("torch")

from course_utils.models import count_parameters, source_cnn  # noqa: E402


def test_parameter_count_matches_keras():
    assert count_parameters(source_cnn()) == 225_034


def test_parameters_per_layer():
    sizes = [p.numel() for p in source_cnn().parameters()]
    # conv1 (3*3*1+1)*32, conv2 (3*3*32+1)*64, dense (1600+1)*128, out (128+1)*10 — weights then biases
    assert sizes == [288, 32, 18432, 64, 204800, 128, 1280, 10]


@pytest.mark.parametrize("n", [1, 4])
def test_output_shape(n):
    torch.manual_seed(0)
    out = source_cnn()(torch.zeros(n, 1, 28, 28))
    assert out.shape == (n, 10)


def test_frozen_parameters_are_not_counted():
    model = source_cnn()
    model[0].weight.requires_grad_(False)
    assert count_parameters(model) == 225_034 - 288
