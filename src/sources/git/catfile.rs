//! A fast blob reader: one `git cat-file --batch` process fed blob ids in
//! pack order, its output streamed to the scan workers.
//!
//! Why not only libgit2: it caches delta *bases* but not the intermediate
//! results of a delta chain, so each blob at depth d of a chain costs d
//! delta applications (and as many allocations and copies). On bench/git.sh's
//! history repacked like `git gc` (chains up to 50), reading every blob with
//! libgit2 took 4-5x the CPU time of `git cat-file --batch-all-objects`;
//! git's own reader, which caches every unpacked base, is the floor. This
//! reader is used when a `git` executable is on `PATH`, and it is only an
//! accelerator: every blob it does not deliver (git missing or refusing the
//! repository, an object it reports missing, a corrupt object that makes it
//! stop) is handed to the workers as [`Item::Fallback`] and read with
//! libgit2, which also produces the warning. `CREDSWEEP_GIT_READER=libgit2`
//! turns it off.
//!
//! Memory stays bounded: the channel holds a few blobs; an over-size blob is
//! skipped in the pipe without being held.

use git2::Oid;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::SyncSender;

/// What the reader hands a worker, by index into the history's blob list.
#[derive(Debug)]
pub enum Item {
    /// The blob's bytes.
    Bytes(u32, Vec<u8>),
    /// Larger than the size limit: skipped unread.
    TooBig(u32),
    /// Not delivered: read it with libgit2.
    Fallback(u32),
}

/// Starts `git cat-file --batch` on the repository at `git_dir`, unless
/// turned off or `git` cannot be started.
pub fn spawn(git_dir: &Path) -> Option<Child> {
    if std::env::var_os("CREDSWEEP_GIT_READER").is_some_and(|v| v == "libgit2") {
        return None;
    }
    Command::new("git")
        .arg("--git-dir")
        .arg(git_dir)
        .args(["cat-file", "--batch"])
        // libgit2 (enumeration) does not honour replace refs; neither may this
        .env("GIT_NO_REPLACE_OBJECTS", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()
}

/// Writes the ids of `order` to the child's standard input (run on its own
/// thread, so the pipe never fills while nobody reads). Stops quietly when
/// the child goes away.
pub fn write_ids(child_stdin: std::process::ChildStdin, order: &[u32], oids: &dyn Fn(u32) -> Oid) {
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, child_stdin);
    for &i in order {
        if writeln!(w, "{}", oids(i)).is_err() {
            return;
        }
    }
    let _ = w.flush();
}

/// Reads the child's answers in `order` and sends one [`Item`] per blob;
/// whatever it cannot deliver is sent as [`Item::Fallback`]. Returns when
/// every blob of `order` has been sent (or the workers are gone).
pub fn read_blobs(
    child: &mut Child,
    order: &[u32],
    oids: &dyn Fn(u32) -> Oid,
    max_size: u64,
    tx: &SyncSender<Item>,
) {
    let mut sent = 0;
    if let Some(stdout) = child.stdout.take() {
        let mut out = BufReader::with_capacity(256 * 1024, stdout);
        let mut line = Vec::with_capacity(64);
        for &i in order {
            match read_one(&mut out, &mut line, oids(i), max_size, i) {
                Some(item) => {
                    if tx.send(item).is_err() {
                        return;
                    }
                    sent += 1;
                }
                None => break,
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    for &i in &order[sent..] {
        if tx.send(Item::Fallback(i)).is_err() {
            return;
        }
    }
}

/// One answer: `<id> blob <size>\n<bytes>\n`, or `<id> missing\n`. `None`
/// when the stream ends or is not what was asked for.
fn read_one(
    out: &mut impl BufRead,
    line: &mut Vec<u8>,
    want: Oid,
    max_size: u64,
    i: u32,
) -> Option<Item> {
    line.clear();
    if out.read_until(b'\n', line).ok()? == 0 {
        return None;
    }
    let text = std::str::from_utf8(line).ok()?.trim_end();
    let mut parts = text.split(' ');
    let id = parts.next()?;
    if Oid::from_str(id).ok()? != want {
        return None;
    }
    let kind = parts.next()?;
    if kind != "blob" {
        // `missing`, `ambiguous`: libgit2 decides (and warns)
        return Some(Item::Fallback(i));
    }
    let size: u64 = parts.next()?.parse().ok()?;
    if size > max_size {
        let skipped = std::io::copy(&mut out.take(size + 1), &mut std::io::sink()).ok()?;
        return (skipped == size + 1).then_some(Item::TooBig(i));
    }
    let mut bytes = vec![0u8; size as usize];
    out.read_exact(&mut bytes).ok()?;
    let mut lf = [0u8; 1];
    out.read_exact(&mut lf).ok()?;
    Some(Item::Bytes(i, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_blobs_missing_and_oversize_answers() {
        let a = Oid::from_bytes(&[1; 20]).expect("oid");
        let b = Oid::from_bytes(&[2; 20]).expect("oid");
        let c = Oid::from_bytes(&[3; 20]).expect("oid");
        let stream = format!("{a} blob 3\nabc\n{b} missing\n{c} blob 10\n0123456789\n");
        let mut r = std::io::Cursor::new(stream.into_bytes());
        let mut line = Vec::new();
        match read_one(&mut r, &mut line, a, 5, 0) {
            Some(Item::Bytes(0, bytes)) => assert_eq!(bytes, b"abc"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read_one(&mut r, &mut line, b, 5, 1),
            Some(Item::Fallback(1))
        ));
        assert!(matches!(
            read_one(&mut r, &mut line, c, 5, 2),
            Some(Item::TooBig(2))
        ));
        assert!(
            read_one(&mut r, &mut line, a, 5, 3).is_none(),
            "end of stream"
        );
        // an answer for another id than asked: stop, fall back
        let mut r = std::io::Cursor::new(format!("{b} blob 1\nx\n").into_bytes());
        assert!(read_one(&mut r, &mut line, a, 5, 0).is_none());
    }
}
