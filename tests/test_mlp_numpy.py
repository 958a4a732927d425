"""course_utils.mlp_numpy (generated from notebooks 04 and 05): every gradient checked against central
differences, and the training pieces."""

import numpy as np
import pytest

from course_utils import mlp_numpy as M
from course_utils.checks import numerical_gradient, rel_error


def tiny_problem(sizes, seed=0):
    rng = np.random.default_rng(seed)
    params = M.init_params(sizes, rng, dtype=np.float64)
    for k in params:
        if k.startswith("b"):
            params[k] = rng.normal(0, 0.1, params[k].shape)  # non-zero biases, so their gradients are tested too
    X = rng.normal(size=(5, sizes[0]))
    y = rng.integers(0, sizes[-1], 5)
    return params, X, y


@pytest.mark.parametrize("sizes", [(6, 5, 3), (7, 9, 4)])
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


def test_init_params_shapes_std_and_dtype():
    params = M.init_params((784, 256, 10), np.random.default_rng(0))
    assert params["W1"].shape == (784, 256) and params["b2"].shape == (10,)
    assert all(v.dtype == np.float32 for v in params.values())
    assert abs(params["W1"].std() / np.sqrt(2 / 784) - 1) < 0.02
    assert abs(params["W2"].std() / np.sqrt(2 / 256) - 1) < 0.05 and abs(params["W1"].mean()) < 1e-3
    assert not params["b1"].any() and not params["b2"].any()
    assert M.init_params((3, 2), np.random.default_rng(0), dtype=np.float64)["W1"].dtype == np.float64


def test_adam_first_step_is_lr_against_the_gradient():
    params = {"W": np.zeros(3), "b": np.zeros(1)}
    opt = M.Adam(params, lr=0.01)
    opt.step(params, {"W": np.array([1e-3, -5.0, 2e3]), "b": np.array([0.7])})
    assert np.allclose(params["W"], [-0.01, 0.01, -0.01], rtol=1e-4) and np.isclose(params["b"][0], -0.01, rtol=1e-4)


def test_adam_later_steps_follow_the_formula():
    """Two steps with gradients g1, g2, against the formulas of notebook 03 written out."""
    params, g1, g2 = {"W": np.array([0.5, -1.0])}, np.array([0.3, -2.0]), np.array([-0.1, 1.0])
    opt = M.Adam(params, lr=0.1, beta1=0.8, beta2=0.9, eps=1e-3)
    opt.step(params, {"W": g1})
    opt.step(params, {"W": g2})
    W, m, v = np.array([0.5, -1.0]), 0.0, 0.0
    for t, g in ((1, g1), (2, g2)):
        m, v = 0.8 * m + 0.2 * g, 0.9 * v + 0.1 * g * g
        W = W - 0.1 * (m / (1 - 0.8**t)) / (np.sqrt(v / (1 - 0.9**t)) + 1e-3)
    assert np.allclose(params["W"], W, rtol=1e-12) and opt.t == 2
    f32 = {"W": np.zeros(2, dtype=np.float32)}
    M.Adam(f32).step(f32, {"W": np.ones(2)})
    assert f32["W"].dtype == np.float32


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
    params = M.init_params((10, 16, 3), rng)
    opt = M.Adam(params, lr=1e-2)
    first = M.train_epoch(params, opt, X, y, 32, rng, weight_decay=1e-4)
    for _ in range(20):
        last = M.train_epoch(params, opt, X, y, 32, rng, weight_decay=1e-4)
    assert last < 0.5 * first
    assert all(v.dtype == np.float32 for v in params.values())
    assert M.accuracy(M.mlp_forward(X, params)[0], y) > 0.8
    assert opt.t == 21 * 7                                       # one step per batch: 200 / 32 -> 7 batches


def test_train_epoch_returns_the_mean_batch_loss_and_uses_augment():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(10, 4)), rng.integers(0, 3, 10)
    params = M.init_params((4, 5, 3), rng, dtype=np.float64)
    frozen = M.Adam(params, lr=0.0)                              # lr 0: the loss of every batch is the same model's
    loss = M.train_epoch(params, frozen, X, y, 5, np.random.default_rng(0))
    assert np.isclose(loss, M.mlp_loss_and_grads(X, y, params)[0])  # two batches of 5: their mean is the full loss
    seen = []
    M.train_epoch(params, frozen, X, y, 4, np.random.default_rng(0), augment=lambda Xb, r: seen.append(len(Xb)) or Xb * 0)
    assert seen == [4, 4, 2]
    decayed = M.train_epoch(params, frozen, X, y, 10, np.random.default_rng(0), weight_decay=1.0)
    assert np.isclose(decayed, loss + 0.5 * sum(float(np.sum(params[k] ** 2)) for k in ("W1", "W2")))


def test_random_shift_moves_each_image_by_at_most_one_pixel():
    X = np.zeros((50, 784), dtype=np.float32)
    X[:, 14 * 28 + 14] = 1.0                                     # one ink pixel in the middle
    shifted = M.random_shift(X, np.random.default_rng(0))
    rows, cols = np.divmod(shifted.argmax(axis=1), 28)
    assert shifted.shape == X.shape and np.allclose(shifted.sum(axis=1), 1.0)
    assert set(rows) == {13, 14, 15} and set(cols) == {13, 14, 15}  # every shift -1, 0, +1 occurs
    assert np.array_equal(M.random_shift(X, np.random.default_rng(0), max_shift=0), X)


def test_one_hot_accuracy_and_predict():
    assert np.array_equal(M.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    assert M.accuracy(scores, np.array([1, 1, 1])) == pytest.approx(2 / 3)
    params, X, _ = tiny_problem((6, 5, 3))
    assert np.array_equal(M.predict(X, params), M.mlp_forward(X, params)[0].argmax(axis=1))
