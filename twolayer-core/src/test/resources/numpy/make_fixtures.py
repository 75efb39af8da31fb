"""Writes the NumPy fixtures read by NumpySourceTest. Run with NumPy installed:  python3 make_fixtures.py
Values are exact in float32, so every file must read back as X[i, j] = 10 i + j + 0.5, Y[i, j] = -(i + 0.25 j)."""
import numpy as np

n, d, l = 7, 3, 2
X = np.array([[10 * i + j + 0.5 for j in range(d)] for i in range(n)], dtype=np.float64)
Y = np.array([[-(i + 0.25 * j) for j in range(l)] for i in range(n)], dtype=np.float64)

np.save("x_f8_c.npy", X)
np.save("x_f8_f.npy", np.asfortranarray(X))
np.save("x_f4_c.npy", X.astype(np.float32))
np.save("x_f4_f.npy", np.asfortranarray(X.astype(np.float32)))
np.save("x_f8_big.npy", X.astype(">f8"))
np.save("y_f8_c.npy", Y)
np.save("y_1d.npy", Y[:, 0].copy())
np.savez("data.npz", X=X, Y=Y)
np.savez_compressed("data_compressed.npz", X=X.astype(np.float32), Y=Y)
np.savez("data_fortran.npz", X=np.asfortranarray(X), Y=np.asfortranarray(Y))
raw = open("x_f8_c.npy", "rb").read()
open("x_truncated.npy", "wb").write(raw[: len(raw) - 20])
