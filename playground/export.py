"""What a session can be downloaded as: its weights (.npz), its history (.csv) and its settings (.json)."""

import io
import json

import pandas as pd

from nnlib.io import save_params


def weights_bytes(model):
    """The model as nnlib.io writes it: named arrays and the architecture, loadable with allow_pickle=False."""
    buffer = io.BytesIO()
    save_params(model, buffer)
    return buffer.getvalue()


def history_csv(history):
    """One row per recorded epoch: epoch, step, train/test loss and accuracy."""
    return pd.DataFrame(history).to_csv(index=False).encode()


def settings_json(settings):
    return json.dumps(settings.to_json_dict(), indent=2, ensure_ascii=False).encode()
