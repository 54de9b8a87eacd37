"""ASGI entry point: the dashboard (dashboard.py) as a st.App with the sign-in cookie routes and a clear
message for page faults. Run: streamlit run app.py (make run does)."""

import streamlit as st

from rolgov import account

app = st.App("dashboard.py", routes=account.routes(), on_script_error=account.page_fault)
