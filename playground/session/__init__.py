"""The training session: data, model, optimizer, trainer and history, driven by Settings; no Streamlit, no
plotly. ``core`` builds it and applies settings; ``pacing`` trains to a time budget; ``guards`` stop a run
that diverges or reaches a target; ``grid`` passes the regions' grid through the model; ``step_stages`` shows
one step in slow motion; ``diagnostics`` read the model (a probe's neuron values too); ``weights`` load a user's
file; ``passes`` take points through the model, in parts or a layer at a time."""

from playground.session.core import Session

__all__ = ["Session"]
