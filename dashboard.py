"""Entry point: navigation over pages/, wide layout, global sidebar controls. Run: streamlit run dashboard.py"""

import streamlit as st

from rolgov import ui
from rolgov.i18n import page_title

st.set_page_config(page_title="法治政府建设指标看板", page_icon="⚖️", layout="wide")

lang = ui.current_lang()
PAGES = [
    ("overview", "pages/overview.py", "🏛️"),
    ("trends", "pages/trends.py", "📈"),
    ("compare", "pages/compare.py", "📊"),
    ("targets", "pages/targets.py", "🎯"),
    ("profile", "pages/profile.py", "🗂️"),
    ("catalog", "pages/catalog.py", "📖"),
    ("completeness", "pages/completeness.py", "✅"),
    ("report", "pages/report.py", "📝"),
    ("data", "pages/data.py", "🗄️"),
]
navigation = st.navigation(
    [
        st.Page(path, title=page_title(key, lang), icon=icon, url_path=key, default=key == "overview")
        for key, path, icon in PAGES
    ]
)
with st.sidebar:
    st.markdown(f"### ⚖️ {'法治政府建设指标看板' if lang == 'zh' else 'Rule-of-law government indicators'}")
ui.sidebar()
navigation.run()
