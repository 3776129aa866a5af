"""
One lane of DeepFilterNet3 for lib/denoise/deepfilter-lanes.ts: holds a never-used libDF state and
runs every block in a fork()ed copy of this process, so each block starts from a bitwise copy of a
fresh state without paying df_create again.

Why: libDF's C API has no reset or clone, and df_create reads and optimises the model's three graphs
(~0.5 s of CPU). A block must start from a fresh state for the output to be a pure function of the
input (chunking and resumed jobs give the same samples). fork() copies the pristine state in a few
milliseconds; the copy is never shared, so the parent's state stays unused. Standard library only.

Protocol (stdin/stdout, little-endian): on start, writes b'R' + uint32 frame length once the state
exists (or exits non-zero). Then per block: reads uint32 n (frames); a child writes uint32 its pid
(so the caller can kill a cancelled block), reads n*480 float32 (48 kHz), runs them through its
copy frame by frame and writes n*480 float32 out; the parent waits for it and reads the next n.
A killed child leaves the pipes mid-message, so the caller then kills this whole process too and
never reuses the lane. If the caller dies, stdin ends: a waiting server exits, a running child
fails on its next write.

Usage: python3 deepfilter-fork-server.py LIBDEEPFILTER.so MODEL.tar.gz
"""
import ctypes
import os
import struct
import sys


def main():
    lib = ctypes.CDLL(sys.argv[1])
    lib.df_create.restype = ctypes.c_void_p
    lib.df_create.argtypes = [ctypes.c_char_p, ctypes.c_float, ctypes.c_char_p]
    lib.df_get_frame_length.restype = ctypes.c_size_t
    lib.df_get_frame_length.argtypes = [ctypes.c_void_p]
    lib.df_process_frame.restype = ctypes.c_float
    lib.df_process_frame.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    # 100 dB attenuation limit = none, as lib/denoise/deepfilter.ts creates its states.
    st = lib.df_create(sys.argv[2].encode(), 100.0, None)
    if not st:
        sys.exit('df_create failed')
    n = lib.df_get_frame_length(st)
    # Unbuffered both ways: a buffered reader in the parent would read ahead into the block's samples,
    # which belong to the child.
    inp = open(0, 'rb', buffering=0, closefd=False)
    out = open(1, 'wb', buffering=0, closefd=False)
    write_all(out, b'R' + struct.pack('<I', n))
    while True:
        head = read_exact(inp, 4)
        if head is None:
            return
        frames = struct.unpack('<I', head)[0]
        pid = os.fork()
        if pid == 0:
            try:
                run_block(lib, st, n, frames, inp, out)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)


def read_exact(f, size):
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        k = f.readinto(view[got:])
        if not k:
            return None
        got += k
    return buf


def write_all(f, data):
    view = memoryview(data).cast('B')
    while len(view):
        view = view[f.write(view):]


def run_block(lib, st, n, frames, inp, out):
    write_all(out, struct.pack('<I', os.getpid()))
    size = frames * n * 4
    buf = read_exact(inp, size)
    if buf is None:
        os._exit(1)
    src = (ctypes.c_char * size).from_buffer(buf)
    dst = (ctypes.c_char * size)()
    a = ctypes.addressof(src)
    b = ctypes.addressof(dst)
    step = n * 4
    process = lib.df_process_frame
    for f in range(frames):
        process(st, a + f * step, b + f * step)
    write_all(out, dst)


if __name__ == '__main__':
    main()
