"""nnlib: the layers, optimizers, models and trainer of *Deep Learning from Scratch 2*, chapter 1, in NumPy.

Code written for the book's ``common/`` package runs with its imports changed:
``from common.layers import Affine`` becomes ``from nnlib.layers import Affine``, ``common.optimizer`` is
``nnlib.optimizers`` and ``dataset.spiral`` is ``nnlib.datasets.spiral``.
"""
