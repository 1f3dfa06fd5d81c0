#!/usr/bin/env python3
"""Make the sparse reference lists in this directory from the reference
outputs (float32 <case>_A.npy and uint16 <case>_A_counts.npy, shape
(690, 361)) without numpy: one line "k j value count" per bin whose value
is >= 1e-12 of the maximum (everything else in the reference is
FFT-roundoff froth or zero, see hyper-resolution.md section 5.2).
Usage: extract.py REFDIR CASE > CASE_A.txt"""
import ast, struct, sys

def load(path):
    b = open(path, 'rb').read()
    assert b[:6] == b'\x93NUMPY'
    hl = struct.unpack('<H', b[8:10])[0]
    hdr = ast.literal_eval(b[10:10 + hl].decode())
    data = b[10 + hl:]
    fmt = {'<f4': 'f', '<u2': 'H'}[hdr['descr']]
    n = hdr['shape'][0] * hdr['shape'][1]
    return hdr['shape'], struct.unpack('<%d%s' % (n, fmt), data[:n * struct.calcsize(fmt)])

d, case = sys.argv[1], sys.argv[2]
shape, v = load('%s/%s_A.npy' % (d, case))
_, c = load('%s/%s_A_counts.npy' % (d, case))
mx = max(v)
print('# %s_A: reference output bins >= 1e-12*max, shape %d %d, max %.9g, maxcount %d'
      % (case, shape[0], shape[1], mx, max(c)))
for i, x in enumerate(v):
    if x >= 1e-12 * mx:
        print(i // shape[1], i % shape[1], repr(x), c[i])
