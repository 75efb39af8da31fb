"""The Python peers of bench/compare.sh: the same work as twolayer, written the way a NumPy, PyTorch or
pandas user would write it (vectorized, blocked, the library's own BLAS), timed inside the process.

    python3 peers.py recover DATA.npz K [--no-reflect]   # docs/ge-method.md, steps 1-10 and 2a, in NumPy
    python3 peers.py pretrain D T M N1 N2 ROUNDS          # docs/collins-method.md rounds in PyTorch, float32
    python3 peers.py readcsv FILE.csv                      # pandas.read_csv of a file

Each prints one JSON line: {"seconds": wall time of the work, ...}. The caller times the whole process too.
"""
import json
import sys
import time

BLOCK = 16384


def recover(path, k, reflect=True):
    """Steps 1-10 of docs/ge-method.md with the input reduction of step 2a, three passes over row blocks."""
    import numpy as np

    t0 = time.perf_counter()
    with np.load(path) as f:
        X = f["X"]
        Y = f["Y"]
    n, d = X.shape
    l = Y.shape[1]
    # Pass 1: E[xx^T], E[yx^T].
    sxx = np.zeros((d, d))
    syx = np.zeros((l, d))
    sy = np.zeros(l)
    for s in range(0, n, BLOCK):
        xb = X[s:s + BLOCK]
        yb = Y[s:s + BLOCK]
        sxx += xb.T @ xb
        syx += yb.T @ xb
        sy += yb.sum(0)
    sigma = sxx / n
    C = syx / n
    P = 2 * np.linalg.solve(sigma, C.T).T  # P = 2 C Sigma^-1
    # Step 3 and 3a: Q (l x k) from P, R (d x k) the row space.
    U, S, Vt = np.linalg.svd(P, full_matrices=False)
    R = Vt[:k].T
    Pr = P @ R                                   # l x k: P in reduced inputs
    Q = np.linalg.svd(Pr, full_matrices=False)[0][:, :k]
    Pp = Q.T @ Pr                                # k x k
    iu, ju = np.triu_indices(k)
    wq = np.where(iu == ju, 1.0, np.sqrt(2.0))
    m2 = len(iu)
    # Pass 2: the detector matrix, sum of z q^T, plus sum q for the noise direction.
    T = np.zeros((m2 + 1, m2))
    for s in range(0, n, BLOCK):
        xr = X[s:s + BLOCK] @ R
        yp = Y[s:s + BLOCK] @ Q
        px = xr @ Pp.T
        q = xr[:, iu] * xr[:, ju] * wq
        if reflect:  # z = sym(y'(y' - P'x)^T), the twolayer default
            r = yp - px
            z = 0.5 * (yp[:, iu] * r[:, ju] + yp[:, ju] * r[:, iu]) * wq
        else:
            z = (yp[:, iu] * yp[:, ju] - 0.5 * px[:, iu] * px[:, ju]) * wq
        z = np.hstack([z, np.ones((len(z), 1))])
        T += z.T @ q
    sq = T[m2] / np.linalg.norm(T[m2])
    Tm = T[:m2] / n
    Tm = Tm - np.outer(Tm @ sq, sq)
    # Step 6: the k right singular vectors (over z) with the smallest singular values.
    Uz = np.linalg.svd(Tm, full_matrices=True)[0][:, -k:]
    mats = []
    for j in range(k):
        M = np.zeros((k, k))
        M[iu, ju] = Uz[:, j] / wq
        M[ju, iu] = Uz[:, j] / wq
        mats.append(M)
    # Step 7: the best of 50 random pairs (eigenvectors of U_g U_h^-1), scored by how nearly the
    # candidate diagonalizes every U_j (relative off-diagonal energy of D^T U_j D).
    rng = np.random.default_rng(0)
    best = None
    for _ in range(50):
        a, b = rng.standard_normal(k), rng.standard_normal(k)
        G = sum(ai * M for ai, M in zip(a, mats))
        H = sum(bi * M for bi, M in zip(b, mats))
        vecs = np.linalg.eig(G @ np.linalg.inv(H))[1].real
        vecs = vecs / np.linalg.norm(vecs, axis=0)
        off = total = 0.0
        for M in mats:
            B = vecs.T @ M @ vecs
            total += (B ** 2).sum()
            off += (B ** 2).sum() - (np.diag(B) ** 2).sum()
        if best is None or off / total < best[0]:
            best = (off / total, vecs)
    D = best[1]                                  # columns: detectors u_i (reduced outputs)
    # Step 8-9: signs and rows of W.
    D = D * np.sign(D.T @ (Q.T @ (sy / n)))[None, :]    # E[u_i^T y'] > 0
    Wr = D.T @ Pp                                # k x k in reduced inputs
    W = Wr @ R.T
    W = W / np.linalg.norm(W, axis=1, keepdims=True)
    # Pass 3 / step 10: A by least squares of y on relu(W x).
    hth = np.zeros((k, k))
    hty = np.zeros((k, l))
    for s in range(0, n, BLOCK):
        h = np.maximum(X[s:s + BLOCK] @ W.T, 0)
        hth += h.T @ h
        hty += h.T @ Y[s:s + BLOCK]
    A = np.linalg.solve(hth, hty).T
    return {"seconds": time.perf_counter() - t0, "W": W.tolist(), "A": A.tolist()}


def pretrain(d, T, m, n1, n2, rounds, r=3, seed=0):
    """Head-first multi-task pretraining (docs/collins-method.md), every task of a round batched (bmm), float32."""
    import torch

    # Torch's own default threading: on the Debian build one intra-op thread, which measured faster here
    # for these round sizes than torch.set_num_threads(2) (7.5 s against 11.3 s for 100 rounds).
    torch.manual_seed(seed)
    t0 = time.perf_counter()
    g = torch.Generator().manual_seed(seed)
    M = torch.linalg.qr(torch.randn(d, r, generator=g))[0]        # the subspace
    dirs = torch.nn.functional.normalize(torch.randn(T, r, generator=g), dim=1)
    W = torch.randn(m, d, generator=g) / d ** 0.5
    c = torch.randn(m, generator=g)
    scale = 1 / m ** 0.5
    eta_w, eta_h = 10.0 * m, 1.0
    for _ in range(rounds):
        x1 = torch.randn(T, n1, d, generator=g)
        x2 = torch.randn(T, n2, d, generator=g)
        y1 = torch.sign((x1 @ M) @ dirs.unsqueeze(2)).squeeze(2)  # T x n1
        y2 = torch.sign((x2 @ M) @ dirs.unsqueeze(2)).squeeze(2)
        phi1 = torch.relu(x1 @ W.T + c) * scale                     # T x n1 x m
        # Head step from b = 0 (logistic loss: l'(0) = -1/2): b = eta_h/2 * mean(y phi).
        b = eta_h * 0.5 * (y1.unsqueeze(1) @ phi1).squeeze(1) / n1  # T x m
        pre = x2 @ W.T + c                                           # T x n2 x m
        f = (torch.relu(pre) * scale * b.unsqueeze(1)).sum(2)       # T x n2
        gl = -torch.sigmoid(-y2 * f) * y2 / n2                      # l'(y f) y / n
        delta = (pre > 0).float() * b.unsqueeze(1) * scale * gl.unsqueeze(2)  # T x n2 x m
        G = (delta.transpose(1, 2) @ x2).sum(0) / T                  # m x d
        W = W - eta_w * G
    return {"seconds": time.perf_counter() - t0, "threads": torch.get_num_threads()}


def readcsv(path):
    import pandas as pd

    t0 = time.perf_counter()
    frame = pd.read_csv(path)
    values = frame.to_numpy()
    return {"seconds": time.perf_counter() - t0, "rows": int(values.shape[0])}


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "recover":
        out = recover(sys.argv[2], int(sys.argv[3]), "--no-reflect" not in sys.argv)
        out.pop("W")
        out.pop("A")
    elif cmd == "pretrain":
        out = pretrain(*[int(a) for a in sys.argv[2:8]])
    elif cmd == "readcsv":
        out = readcsv(sys.argv[2])
    else:
        raise SystemExit("unknown command " + cmd)
    print(json.dumps(out))
