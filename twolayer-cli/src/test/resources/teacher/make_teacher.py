"""Writes the teacher fixtures of GenerateTeacherTest the way a user exports a PyTorch network.

A two-layer ReLU network nn.Linear(12, 4, bias=False) -> ReLU -> nn.Linear(4, 6, bias=False) has
weights of shapes (4, 12) and (6, 4): exactly W (k x d) and A (l x k). Here they are drawn with NumPy
(no PyTorch needed); with a trained model it would be
    np.savez("teacher.npz", W=model[0].weight.detach().numpy(), A=model[2].weight.detach().numpy())
Run from this folder: python3 make_teacher.py (NumPy 1.24 wrote the committed files).
"""
import numpy as np

rng = np.random.default_rng(0)
W = rng.standard_normal((4, 12))
A = rng.standard_normal((6, 4))
np.savez("teacher.npz", W=W, A=A)
# float32 weights, as PyTorch keeps them
np.savez("teacher-float32.npz", W=W.astype(np.float32), A=A.astype(np.float32))
# a teacher with a first-layer bias: refused
np.savez("teacher-bias.npz", W=W, A=A, bias=np.ones(4))

# A teacher for the wine inputs (../inputs/wine.csv, d = 13): drawn on standardized features, then
# expressed in the features' raw units (W_raw = W_std / std per column), as a network trained on
# standardized wine data and exported for raw inputs would be.
import csv
wine = np.array([[float(v) for v in r] for r in list(csv.reader(open("../inputs/wine.csv")))[1:]])
rng = np.random.default_rng(1)
W_std = rng.standard_normal((4, 13))
np.savez("teacher-wine.npz", W=W_std / wine.std(axis=0), A=rng.standard_normal((6, 4)))
