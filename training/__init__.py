"""cmxrf training package: dataset reading, augmentation, model, training, evaluation, ONNX export.

Run the command-line tools from the repository root, e.g.
``python -m training.train --config training/configs/default.json``.
"""

__version__ = "0.1.0"
