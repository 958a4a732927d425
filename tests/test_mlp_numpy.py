"""course_utils.mlp_numpy: every gradient checked against central differences, and the training pieces."""

import numpy as np
import pytest

from course_utils import mlp_numpy as M
from course_utils.checks import numerical_gradient, rel_error


def tiny_problem(sizes, seed=0):
    rng = np.random.default_rng(seed)
    params = M.he_init(sizes, rng, dtype=np.float64)
    for k in params:
        if k.startswith("b"):
            params[k] = rng.normal(0, 0.1, params[k].shape)  # non-zero biases, so their gradients are tested too
    X = rng.normal(size=(5, sizes[0]))
    y = rng.integers(0, sizes[-1], 5)
    return params, X, y


@pytest.mark.parametrize("sizes", [(6, 5, 3), (7, 6, 5, 4)])
@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_mlp_gradients_match_central_differences(sizes, weight_decay):
    params, X, y = tiny_problem(sizes)
    _, grads = M.mlp_loss_and_grads(X, y, params, weight_decay)
    assert set(grads) == set(params)
    for name, param in params.items():
        numeric = numerical_gradient(lambda: M.mlp_loss_and_grads(X, y, params, weight_decay)[0], param)
        assert rel_error(grads[name], numeric) < 1e-7, name


def test_layer_gradients_match_central_differences():
    rng = np.random.default_rng(1)
    X, W, b, G = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(4, 2))
    dX, dW, db = M.dense_backward(G, M.dense_forward(X, W, b)[1])
    for analytic, param in ((dX, X), (dW, W), (db, b)):
        assert rel_error(analytic, numerical_gradient(lambda: np.sum(M.dense_forward(X, W, b)[0] * G), param)) < 1e-7
    Z = rng.normal(size=(4, 2))
    dZ = M.relu_backward(G, M.relu_forward(Z)[1])
    assert rel_error(dZ, numerical_gradient(lambda: np.sum(M.relu_forward(Z)[0] * G), Z)) < 1e-7
    logits, y = rng.normal(size=(4, 5)), np.array([0, 4, 2, 2])
    _, dlogits = M.softmax_cross_entropy(logits, y)
    assert rel_error(dlogits, numerical_gradient(lambda: M.softmax_cross_entropy(logits, y)[0], logits)) < 1e-7


def test_softmax_cross_entropy_is_stable_and_right():
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]])
    loss, dlogits = M.softmax_cross_entropy(logits, np.array([0, 2]))
    assert np.isfinite(loss) and np.all(np.isfinite(dlogits))
    assert np.isclose(loss, np.log(3) / 2)                       # (0 + log 3) / 2
    assert np.allclose(dlogits.sum(axis=1), 0)                   # p - one_hot sums to 0 per row


def test_he_init_shapes_std_and_dtype():
    params = M.he_init((784, 256, 10), np.random.default_rng(0))
    assert params["W1"].shape == (784, 256) and params["b2"].shape == (10,)
    assert all(v.dtype == np.float32 for v in params.values())
    assert abs(params["W1"].std() / np.sqrt(2 / 784) - 1) < 0.02
    assert not params["b1"].any()


def test_adam_first_step_is_lr_against_the_gradient():
    params = {"W": np.zeros(3), "b": np.zeros(1)}
    opt = M.Adam(params, lr=0.01)
    opt.step(params, {"W": np.array([1e-3, -5.0, 2e3]), "b": np.array([0.7])})
    assert np.allclose(params["W"], [-0.01, 0.01, -0.01], rtol=1e-4) and np.isclose(params["b"][0], -0.01, rtol=1e-4)


def test_iterate_minibatches_covers_every_example_once():
    X, y = np.arange(23, dtype=float)[:, None], np.arange(23)
    batches = list(M.iterate_minibatches(X, y, 5, np.random.default_rng(0)))
    assert [len(b[1]) for b in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([b[1] for b in batches])
    assert sorted(seen) == list(range(23)) and list(seen) != list(range(23))
    assert all(np.array_equal(b[0][:, 0], b[1]) for b in batches)


def test_training_lowers_the_loss_and_keeps_float32():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 10)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0)          # 3 classes, learnable
    params = M.he_init((10, 16, 3), rng)
    opt = M.Adam(params, lr=1e-2)
    first = M.train_epoch(params, opt, X, y, 32, rng, weight_decay=1e-4)
    for _ in range(20):
        last = M.train_epoch(params, opt, X, y, 32, rng, weight_decay=1e-4)
    assert last < 0.5 * first
    assert all(v.dtype == np.float32 for v in params.values())
    assert M.accuracy(X, y, params) > 0.8


def test_predict_in_chunks_equals_one_pass():
    params, X, _ = tiny_problem((6, 5, 3))
    X = np.random.default_rng(2).normal(size=(11, 6))
    assert np.array_equal(M.predict(X, params, batch_size=4), M.mlp_forward(X, params)[0].argmax(axis=1))
