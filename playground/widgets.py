"""Streamlit widgets and pages. Everything that calls ``st.*`` lives here."""

import contextlib
import io

import numpy as np
import streamlit as st

from nnlib.datasets import spiral
from nnlib.models import TwoLayerNet
from nnlib.optimizers import SGD
from nnlib.trainer import Trainer
from playground.charts import decision_regions


def book_run_page():
    """The book's chapter-1 run on its spiral: train TwoLayerNet, then show the log, the loss and the regions."""
    st.title("Spiral playground")
    st.caption("밑바닥부터 시작하는 딥러닝 2, chapter 1: TwoLayerNet(2, 10, 3) with SGD on the book's spiral.")
    with st.sidebar:
        epochs = st.slider("Epochs", 1, 1000, 300, key="epochs", help="Passes over the 300 points.")
        learning_rate = st.select_slider(
            "Learning rate", [0.01, 0.03, 0.1, 0.3, 1.0, 3.0], 1.0, key="lr", help="The book uses 1.0."
        )
        seed = st.number_input("Seed", 0, 2**31 - 1, 1984, key="seed", help="Fixes the weights and the shuffling.")
        train = st.button("Train", type="primary", key="train")

    x, t = spiral.load_data()
    if train:
        np.random.seed(int(seed))  # TwoLayerNet and fit draw from the global RNG, as in the book
        model = TwoLayerNet(2, 10, 3)
        trainer = Trainer(model, SGD(lr=learning_rate))
        log = io.StringIO()
        with contextlib.redirect_stdout(log):
            trainer.fit(x, t, max_epoch=epochs, batch_size=30, eval_interval=10)
        st.session_state.book_run = (model, trainer, log.getvalue())

    if "book_run" not in st.session_state:
        st.info("Press **Train** to run the book's training loop.")
        return
    model, trainer, log = st.session_state.book_run
    accuracy = (model.predict(x).argmax(axis=1) == t.argmax(axis=1)).mean()
    st.markdown(f"**Training accuracy {accuracy:.1%}** after {trainer.current_epoch} epochs")
    regions, losses = st.columns(2)
    regions.plotly_chart(decision_regions(model, x, t), key="regions")
    losses.plotly_chart(trainer.plot(), key="losses")
    with st.expander("Trainer log"):
        st.code("\n".join(log.splitlines()[-20:]), language=None)
