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
