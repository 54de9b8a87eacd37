"""rolgov: the logic the dashboard pages, the ETL and the report generator share (rule-of-law government)."""
