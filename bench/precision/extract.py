#!/usr/bin/env python3
"""Writes the tree of one commit of a git directory into a folder, blob by
blob through `git cat-file --batch`, skipping (and listing) blobs the
repository does not have, so a partial mirror still gives every text file.

    extract.py GIT_DIR COMMIT DEST MISSING_LIST
"""
import os
import subprocess
import sys

git_dir, commit, dest, missing_path = sys.argv[1:5]
tree = subprocess.run(
    ["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", "--full-tree", commit],
    check=True, capture_output=True).stdout
entries = []
for rec in tree.split(b"\0"):
    if not rec:
        continue
    meta, path = rec.split(b"\t", 1)
    mode, kind, oid = meta.split(b" ")
    if kind == b"blob" and mode in (b"100644", b"100755"):
        entries.append((oid.decode(), path.decode("utf-8", "surrogateescape")))
cat = subprocess.Popen(["git", "--git-dir", git_dir, "cat-file", "--batch"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
missing = []
for oid, path in entries:
    cat.stdin.write(oid.encode() + b"\n")
    cat.stdin.flush()
    header = cat.stdout.readline().split()
    if len(header) < 2 or header[1] == b"missing":
        missing.append(path)
        continue
    size = int(header[2])
    data = cat.stdout.read(size)
    cat.stdout.read(1)
    target = os.path.join(dest, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(data)
cat.stdin.close()
cat.wait()
with open(missing_path, "w") as f:
    f.writelines(p + "\n" for p in missing)
