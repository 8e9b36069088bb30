"""The endpoint's routers, one module per resource."""
