# Writes the .npy fixtures of NpyTensorReaderTest with NumPy itself (run: python3 make_fixtures.py).
# Generated with NumPy 2.4.6; the test states the same values independently.
import numpy as np
from numpy.lib import format as npf

def save(name, a, version=None):
    with open(name, "wb") as f:
        npf.write_array(f, a, version=version, allow_pickle=False)

save("f4_le_2x3.npy", (np.arange(6, dtype="<f4") / 4).reshape(2, 3))
save("f8_be_2x3.npy", (np.arange(6, dtype=">f8") / 4).reshape(2, 3))
save("f2_le_3.npy", np.array([0.5, -2, 65504], dtype="<f2"))
save("i8_le_3.npy", np.array([-3, 0, 2**40], dtype="<i8"))
save("i4_be_2x2.npy", np.array([[-1, 2], [3, -2**31]], dtype=">i4"))
save("u1_4.npy", np.array([0, 1, 128, 255], dtype="u1"))
save("i1_4.npy", np.array([-128, -1, 0, 127], dtype="i1"))
save("b1_3.npy", np.array([True, False, True]))
save("f4_scalar.npy", np.array(7.5, dtype="<f4"))
save("f4_fortran_2x3x4.npy", np.asfortranarray(np.arange(24, dtype="<f4").reshape(2, 3, 4)))
save("f4_v2_2x3.npy", (np.arange(6, dtype="<f4") / 4).reshape(2, 3), version=(2, 0))
save("f4_v3_2x3.npy", (np.arange(6, dtype="<f4") / 4).reshape(2, 3), version=(3, 0))
