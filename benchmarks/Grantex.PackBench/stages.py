#!/usr/bin/env python3
# Per-stage CPU of an audit pack from a perf profile (see benchmarks/RESULTS.md, "audit pack, fresh process"):
#   GX_PERF_WINDOW=1 DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -k CLOCK_MONOTONIC -F 999 -g -o pack.data \
#     dotnet benchmarks/Grantex.PackBench/bin/Release/net10.0/Grantex.PackBench.dll 1000000 DIR once   # prints "perf window A B"
#   perf script -i pack.data --time A,B -F comm,tid,time,ip,sym,dso > pack.txt; python3 stages.py pack.txt 999 [-v]
import sys, re, collections
# perf script -F comm,tid,time,ip,sym,dso output; classify each sample into a pack stage.
path = sys.argv[1]
text = open(path, errors='replace').read()
samples = text.split('\n\n')
cats = collections.Counter()
detail = collections.defaultdict(collections.Counter)
def cat(comm, frames):
    leaf = frames[0] if frames else ''
    joined = '\n'.join(frames)
    tier = ''
    if 'Tiered Com' in comm: return 'jit: tiering thread (tier-1 recompiles)'
    if 'libclrjit' in joined: return 'jit: foreground (tier-0 / OSR on the calling thread)'
    if 'libSystem.IO.Compression.Native' in leaf:
        return 'zip: CRC-32' if ('CompressionNative_Crc32' in joined or 'IL_STUB_PInvoke(uint32,uint8*,int32)' in joined) else 'zip: deflate'
    if 'IL_STUB_PInvoke(uint32,uint8*,int32)' in leaf: return 'zip: CRC-32'
    if 'libe_sqlite3' in leaf or 'pthread_mutex' in leaf or 'pthreadMutex' in leaf: return 'read: SQLite engine (step, column)'
    if 'libcrypto' in leaf: return 'SHA-256, OpenSSL (per-entry chain hash + file digest)'
    if 'CallConvSuppressGCTransition' in leaf: return 'read: interop + copy (P/Invoke, SafeHandle, memmove)'
    if re.search(r'SqliteChainLines\+<WriteAsync>d__\d+::MoveNext', leaf): return 'read: interop + copy (P/Invoke, SafeHandle, memmove)'
    if 'CompressionNative_Deflate' in joined: return 'zip: deflate'
    if 'HashingStream::' in joined and ('libcrypto' in joined or 'IncrementalHash' in joined or 'Sha' in joined): return 'file SHA-256 (manifest digest)'
    if 'RowBatch::Fill' in joined:
        if 'libe_sqlite3' in leaf: return 'read: SQLite engine (step, column)'
        return 'read: interop + copy (P/Invoke, SafeHandle, memmove)'
    if 'Utf8AuditHash' in joined or 'RawChainWalker' in joined or 'ChainScan::Walk' in joined:
        if 'libcrypto' in joined or 'OpenSsl' in joined: return 'walk: SHA-256 per entry (OpenSSL)'
        return 'walk: hash input, UTF-8 checks, links'
    if 'SqliteChainLines::WriteLine' in joined: return 'json: line formatting (Utf8JsonWriter, timestamp)'
    if 'SqliteChainLines::Write' in joined: return 'json/walk: other'
    if 'SqliteChainLines' in joined or 'Pipe' in joined or 'Channel' in joined: return 'pipeline plumbing (pipe, channel, async)'
    if 'libcrypto' in leaf: return 'SHA-256, OpenSSL (per-entry chain hash + file digest; native stack not unwound)'
    if 'libe_sqlite3' in leaf or 'pthread_mutex' in leaf or 'pthreadMutex' in leaf: return 'read: SQLite engine (step, column)'
    if 'gc_heap' in joined or 'GarbageCollect' in joined: return 'gc'
    if '[kernel' in leaf: return 'kernel (other)'
    if 'libcoreclr' in leaf: return 'runtime (libcoreclr, unattributed)'
    return 'other'
for s in samples:
    lines = [l for l in s.split('\n') if l.strip()]
    if not lines: continue
    head = lines[0]
    m = re.match(r'(.*?)\s+(\d+)\s+([\d.]+):', head)
    if not m: continue
    comm = m.group(1)
    frames = [l.strip() for l in lines[1:]]
    c = cat(comm, frames)
    cats[c] += 1
    if c in ('other','kernel (other)', 'runtime (libcoreclr, unattributed)', 'pipeline plumbing (pipe, channel, async)'):
        # innermost managed frame for a hint
        mf = next((f for f in frames if '[' in f and '::' in f), frames[0] if frames else '')
        detail[c][re.sub(r'^\S+\s+', '', mf)[:140]] += 1
total = sum(cats.values())
hz = float(sys.argv[2]) if len(sys.argv) > 2 else 999
print(f'samples {total} (~{total/hz:.2f} s CPU)')
for k, v in cats.most_common():
    print(f'{v/hz:6.2f} s  {100*v/total:5.1f} %  {k}')
if '-v' in sys.argv:
    for c, d in detail.items():
        print('==', c)
        for k, v in d.most_common(12): print(f'   {v:5d} {k}')
