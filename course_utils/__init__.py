"""Helpers for the course "From one neuron to a CNN on the GPU".

Small modules, one job each; importing the package does nothing but import. Two kinds:

Generated from the notebooks by ``tools/export.py`` (what a notebook teaches and later
notebooks reuse; edit the notebook, not the module):
- ``mlp_numpy`` the NumPy network of notebooks 04-05: dense, ReLU, softmax cross-entropy, Adam, training
- ``conv``      convolution, im2col and max-pooling, forward and backward (notebook 07)
- ``models``    the source text's CNN, ``source_cnn()``, and ``count_parameters`` (notebook 08)
- ``training``  tensors, augmentation, the ``fit`` loop, evaluation, safe checkpoints (notebook 08)
- ``scale``     mixed precision, channels-last and a one-cycle schedule around ``fit`` (notebook 10)
- ``gpt``       attention, the transformer block, the tiny GPT, its training and sampling (notebooks 11-12)

Written by hand (what the course uses but does not teach):
- ``data``      MNIST (bundled, or the full set downloaded once) and toy 2-D data sets
- ``poems``     the bundled Tang poems for the language-model notebooks
- ``session``   the first cell of every notebook: fast mode, versions, threads, seeds
- ``device``    choosing CUDA / Apple MPS / CPU, and seeding
- ``i18n``      the learner-facing messages, translated with gettext
- ``plots``     the figures the notebooks share
- ``widgets``   interactive explorers, each with a static fallback
- ``graph``     drawing a computational graph (the scalar autograd engine of notebook 04)
- ``checks``    numerical gradients, relative error and the exercise checkers (``checks.nb01``...)
- ``launch``    starting torchrun from a notebook: free port, process group, timeout, clean-up
- ``ddp_train`` the data-parallel training script that notebook 10 shows and launches
"""

__version__ = "0.1.0"
