"""ASGI entry point: the dashboard (dashboard.py) as a st.App with the sign-in cookie routes, Streamlit's
hashed scripts served from memory (rolgov/assets.py) and a clear message for page faults.
Run: streamlit run app.py (make run does)."""

import streamlit as st
from starlette.middleware import Middleware

from rolgov import account, assets

app = st.App(
    "dashboard.py",
    routes=account.routes(),
    middleware=[Middleware(assets.HashedAssets)],
    on_script_error=account.page_fault,
)
