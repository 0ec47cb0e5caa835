#!/usr/bin/env python3
"""Bakes a subset of Debian's Fashion-MNIST (dataset-fashion-mnist) into the cnn lab's asset.

    fashion_tool.py --dir /usr/share/datasets/fashion-mnist --train 8000 --test 2000 --out F

The asset (engine/data/fashion.h): a 24-byte header of little-endian uint32s (magic "NNFM",
version 1, training count, test count, rows 28, columns 28), then the first --train training
images (uint8, row-major), their labels (uint8), the first --test test images and their labels,
all in the IDX files' order. Written to a temporary name and renamed, so a failed run never
leaves a half file behind.
"""
import argparse
import gzip
import os
import struct
import sys


def read_idx(path, magic, count):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    dims = magic & 0xff
    if len(data) < 4 + 4 * dims or struct.unpack('>I', data[:4])[0] != magic:
        sys.exit(f'fashion_tool.py: {path}: not an IDX file of type {magic:#x}')
    shape = struct.unpack(f'>{dims}I', data[4:4 + 4 * dims])
    if shape[0] < count:
        sys.exit(f'fashion_tool.py: {path} has {shape[0]} items, {count} wanted')
    if dims == 3 and shape[1:] != (28, 28):
        sys.exit(f'fashion_tool.py: {path}: images are {shape[1]}x{shape[2]}, not 28x28')
    item = 784 if dims == 3 else 1
    body = data[4 + 4 * dims:4 + 4 * dims + count * item]
    if len(body) != count * item:
        sys.exit(f'fashion_tool.py: {path} is truncated')
    return body


def find(directory, stem):
    for name in (stem + '.gz', stem):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    sys.exit(f'fashion_tool.py: no {stem}(.gz) in {directory}: run scripts/deps.sh '
             '(it installs dataset-fashion-mnist)')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--train', type=int, required=True)
    ap.add_argument('--test', type=int, required=True)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    parts = [struct.pack('<4sIIIII', b'NNFM', 1, a.train, a.test, 28, 28)]
    for prefix, count in (('train', a.train), ('t10k', a.test)):
        parts.append(read_idx(find(a.dir, prefix + '-images-idx3-ubyte'), 0x803, count))
        labels = read_idx(find(a.dir, prefix + '-labels-idx1-ubyte'), 0x801, count)
        if max(labels) > 9:
            sys.exit(f'fashion_tool.py: {prefix} labels above 9')
        parts.append(labels)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    tmp = a.out + '.tmp'
    with open(tmp, 'wb') as f:
        for p in parts:
            f.write(p)
    os.replace(tmp, a.out)


if __name__ == '__main__':
    main()
