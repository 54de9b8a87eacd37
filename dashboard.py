"""Entry point: navigation over pages/, wide layout, global sidebar controls. Run: streamlit run dashboard.py

The navigation and the page title go out before anything heavy is imported, so the first paint of a
new session shows the app's own menu and a loading note (rolgov/navigation.py says why).
"""

import streamlit as st

from rolgov import navigation
from rolgov.i18n import t

lang = navigation.url_lang()
st.set_page_config(page_title=t("app_title", lang), page_icon="⚖️", layout="wide")
page = navigation.navigation(lang)
navigation.menu(lang)
with st.sidebar:
    st.divider()
    st.markdown(f"### ⚖️ {t('app_title', lang)}")
navigation.loading(page.url_path, lang)

from rolgov import ui  # noqa: E402  pandas, plotly and DuckDB: after the first paint

navigation.freeze_imports()
ui.style()
ui.sidebar()
page.run()
