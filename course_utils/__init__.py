"""Helpers for the course "From one neuron to a CNN on the GPU".

Small modules, one job each; importing the package does nothing but import:
- ``data``     MNIST (bundled, or the full set downloaded once) and toy 2-D data sets
- ``session``  the first cell of every notebook: fast mode, versions, seeds
- ``device``   choosing CUDA / Apple MPS / CPU, and seeding
- ``plots``    the figures the notebooks share
- ``widgets``  interactive explorers, each with a static fallback
- ``checks``   numerical gradients, relative error and the exercise checkers (``checks.nb01``...)
- ``models``   the source text's CNN, defined once for the notebooks after 08
- ``training`` tensors, the fit loop, augmentation and safe checkpoints (built in 08, reused by 09, 10)
- ``mlp_numpy`` the NumPy MLP of notebooks 04-05, for the benchmarks and later comparisons
- ``conv``     convolution, im2col and max-pooling by hand (built in 07), the reference for its tests
- ``graph``    drawing a computational graph (the scalar autograd engine of 04)
"""

__version__ = "0.1.0"
