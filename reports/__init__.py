"""Everything printed or signed: the official documents and their PDF rendering (documents, pdf),
memos and their approval (memos), batch printing (batch), the supervisor overview (overview), and
the registers that number memos and orders (numbering)."""
