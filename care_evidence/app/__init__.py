"""The Streamlit web app of the evidence explorer: `streamlit run care_evidence/app/main.py`.

It only presents what the query engine (`evidence.engine.Engine`) returns; no retrieval happens here.
"""
