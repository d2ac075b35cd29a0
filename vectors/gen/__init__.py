"""The tables of gen_vectors.py: one module per vector file, common.py and notes.py shared."""
