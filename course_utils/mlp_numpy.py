"""The NumPy MLP that notebook 05 builds cell by cell, kept here for reuse
(notebook 06 compares it with PyTorch; ``benchmarks/mlp_numpy_vs_torch.py`` times it).

One contract for every layer (as in cs231n): ``*_forward(...) -> (out, cache)`` and
``*_backward(dout, cache) -> gradients``. Parameters live in a dict
``{"W1": (D, H), "b1": (H,), "W2": (H, K), "b2": (K,), ...}``; a layer computes
``y = f(xW + b)``, the source text's neuron, for a whole batch at once.
The dtype of the parameters (float32 for speed, float64 for gradient checks) is kept.
"""

from __future__ import annotations

import numpy as np

# --------------------------------------------------------------------------- layers


def dense_forward(X, W, b):
    """``X (N, D) @ W (D, M) + b (M,)`` -> ``out (N, M)``; the cache keeps what backward needs."""
    return X @ W + b, (X, W)


def dense_backward(dout, cache):
    """``dout (N, M)`` -> ``dX (N, D), dW (D, M), db (M,)``.

    ``dW = Xᵀ dout`` sums over the batch; the 1/m of the mean loss is already in ``dout``.
    """
    X, W = cache
    return dout @ W.T, X.T @ dout, dout.sum(axis=0)


def relu_forward(Z):
    """``max(0, Z)`` elementwise; the cache is the mask of positive entries."""
    mask = Z > 0
    return Z * mask, mask


def relu_backward(dout, mask):
    """The gradient flows only where the input was positive (the slope there is 1, else 0)."""
    return dout * mask


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of ``softmax(logits (N, K))`` against integer labels ``y (N,)``.

    Returns ``(loss, dlogits)`` with ``dlogits = (softmax - one_hot(y)) / m``. Subtracting
    each row's maximum first (the log-sum-exp trick) keeps ``exp`` from overflowing.
    """
    m = len(y)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(m), y].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(m), y] -= 1
    return float(loss), dlogits / m


# --------------------------------------------------------------------------- the network


def he_init(sizes, rng, dtype=np.float32):
    """Weights for layer sizes, e.g. ``(784, 256, 10)``: ``W ~ N(0, 2 / fan_in)``, ``b = 0``.

    He initialisation: a ReLU zeroes about half its inputs, so a variance of 2/fan_in
    keeps the size of the activations roughly the same from layer to layer.
    """
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{i}"] = (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(dtype)
        params[f"b{i}"] = np.zeros(fan_out, dtype=dtype)
    return params


def num_layers(params) -> int:
    return sum(1 for k in params if k.startswith("W"))


def mlp_forward(X, params):
    """Dense -> ReLU -> ... -> Dense: ``X (N, D)`` -> ``logits (N, K)`` and the caches."""
    L = num_layers(params)
    caches, h = [], X
    for i in range(1, L + 1):
        z, dense_cache = dense_forward(h, params[f"W{i}"], params[f"b{i}"])
        if i < L:
            h, relu_cache = relu_forward(z)
        else:
            h, relu_cache = z, None  # the last layer gives logits; softmax is in the loss
        caches.append((dense_cache, relu_cache))
    return h, caches


def mlp_loss_and_grads(X, y, params, weight_decay: float = 0.0):
    """Forward, loss, backward in one call: ``(loss, grads)`` with ``grads`` shaped like ``params``.

    ``weight_decay`` adds the L2 penalty ``λ/2 Σ W²`` (weights only, not biases), whose
    gradient is ``λ W``.
    """
    logits, caches = mlp_forward(X, params)
    loss, dout = softmax_cross_entropy(logits, y)
    grads = {}
    for i in range(len(caches), 0, -1):
        dense_cache, relu_cache = caches[i - 1]
        if relu_cache is not None:
            dout = relu_backward(dout, relu_cache)
        dout, grads[f"W{i}"], grads[f"b{i}"] = dense_backward(dout, dense_cache)
    if weight_decay:
        for i in range(1, len(caches) + 1):
            W = params[f"W{i}"]
            loss += 0.5 * weight_decay * float(np.sum(W * W))
            grads[f"W{i}"] = grads[f"W{i}"] + weight_decay * W
    return loss, grads


def predict(X, params, batch_size: int = 2000):
    """The most likely class for each row of ``X (N, D)``: ``(N,)`` ints (in chunks, to save memory)."""
    return np.concatenate(
        [mlp_forward(X[i : i + batch_size], params)[0].argmax(axis=1) for i in range(0, len(X), batch_size)]
    )


def accuracy(X, y, params) -> float:
    """Fraction of rows of ``X`` whose predicted class equals ``y``."""
    return float(np.mean(predict(X, params) == y))


# --------------------------------------------------------------------------- training


class Adam:
    """Adam, as in the source text's Keras code: per-parameter steps from running averages.

    ``m = β1 m + (1-β1) g`` (momentum), ``v = β2 v + (1-β2) g²`` (size of the gradient),
    both bias-corrected, then ``W -= lr · m̂ / (√v̂ + eps)``. Updates ``params`` in place.
    """

    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        for k in params:
            g = grads[k]
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * g * g
            m_hat = self.m[k] / (1 - self.beta1**self.t)
            v_hat = self.v[k] / (1 - self.beta2**self.t)
            params[k] -= (self.lr * m_hat / (np.sqrt(v_hat) + self.eps)).astype(params[k].dtype)


def iterate_minibatches(X, y, batch_size, rng):
    """Yield ``(X_batch, y_batch)`` covering every example exactly once, in a fresh random order.

    The last batch may be smaller. Shuffling each epoch stops the network from learning
    the order of the data.
    """
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]


def train_epoch(params, optimizer, X, y, batch_size, rng, weight_decay: float = 0.0) -> float:
    """One pass over ``(X, y)`` in shuffled mini-batches; returns the mean training loss."""
    losses = []
    for X_batch, y_batch in iterate_minibatches(X, y, batch_size, rng):
        loss, grads = mlp_loss_and_grads(X_batch, y_batch, params, weight_decay)
        optimizer.step(params, grads)
        losses.append(loss)
    return float(np.mean(losses))
