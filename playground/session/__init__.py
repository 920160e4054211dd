"""The training session: data, model, optimizer, trainer and history, driven by Settings; no Streamlit, no
plotly. ``core`` builds it and applies settings; ``pacing`` trains to a time budget; ``guards`` stop a run
that diverges or reaches a target; ``grid`` passes the regions' grid through the model; ``diagnostics`` read
the model; ``weights`` load a user's file; ``passes`` take points through the model in parts."""

from playground.session.core import Session

__all__ = ["Session"]
