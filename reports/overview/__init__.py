"""The supervisor overview: every organisation of an area with its figures (selectors), filters
(forms), the page and its XLSX (views)."""
