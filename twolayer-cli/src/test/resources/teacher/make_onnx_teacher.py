"""Writes the ONNX teacher fixtures of OnnxCliTest the way a user exports a PyTorch network.

torch.onnx.export of nn.Linear(12, 4, bias=False) -> ReLU -> nn.Linear(4, 6, bias=False) writes
MatMul -> Relu -> MatMul with float32 initializers already transposed to (12, 4) and (4, 6); with a
first-layer bias it writes Gemm(x, weight, bias, transB=1) instead. teacher-torch.npz keeps the same
weights as W (k x d) and A (l x k), so that a test can check that the .onnx reads as that network.
Run from this folder: /usr/bin/python3 make_onnx_teacher.py (PyTorch 1.13, no onnx package needed,
wrote the committed files).
"""
import numpy as np
import torch
import torch.nn as nn


def export(model, path):
    torch.onnx.export(model, torch.zeros(1, 12), path, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "N"}, "y": {0: "N"}})


torch.manual_seed(0)
teacher = nn.Sequential(nn.Linear(12, 4, bias=False), nn.ReLU(), nn.Linear(4, 6, bias=False))
export(teacher, "teacher-torch.onnx")
np.savez("teacher-torch.npz", W=teacher[0].weight.detach().numpy(), A=teacher[2].weight.detach().numpy())

# a teacher with a first-layer bias: read as a network, refused as a teacher
biased = nn.Sequential(nn.Linear(12, 4), nn.ReLU(), nn.Linear(4, 6, bias=False))
export(biased, "teacher-torch-bias.onnx")

# another activation: refused naming the node
sigmoid = nn.Sequential(nn.Linear(12, 4, bias=False), nn.Sigmoid(), nn.Linear(4, 6, bias=False))
export(sigmoid, "teacher-torch-sigmoid.onnx")
