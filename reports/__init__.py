"""Official documents, memos and their approval, PDF rendering (issues 4 and 5)."""
