"""The whole flow for a batch of articles: read, extract, map, check, store; on this machine or on a Dask cluster."""
