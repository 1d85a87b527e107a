//! A fast blob reader: one `git cat-file --batch` process fed blob ids in
//! the order the scan wants them (pack order within each window), its
//! answers read straight from the pipe by the scan workers.
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
//! stop) is read with libgit2 instead, which also produces the warning.
//! `CREDSWEEP_GIT_READER=libgit2` turns it off.
//!
//! Two threads talk to the process: [`forward`] writes the ids of the work
//! items as they come and passes each item on, in the same order, to the
//! workers; a worker takes the next item and reads its answer with
//! [`read_one`] (one at a time, under a lock) into its own reused buffer. No
//! reader thread copies the bytes a second time or wakes a worker per blob.
//!
//! Memory stays bounded: the pipes and the channels hold a few thousand ids
//! and a pipe's worth of answers; an over-size blob is skipped in the pipe
//! without being held.

use super::scan::Work;
use git2::Oid;
use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, TrySendError};

/// What `git cat-file` answered for one blob.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// The blob's bytes are in the buffer.
    Bytes,
    /// Larger than the size limit: skipped unread.
    TooBig,
    /// Not delivered (`missing`, `ambiguous`, not a blob): read it with
    /// libgit2, which decides and warns.
    Fallback,
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

/// Writes the id of each item of `work` to the child's standard input, then
/// passes the item on to `answered` (so items reach the workers in the order
/// the child answers them). Run on its own thread. Ids are flushed before
/// any wait, so no worker ever waits for the answer to an id still in this
/// buffer. When the child goes away, items are still passed on (their reads
/// then fall back to libgit2); returns when `work` ends, closing the child's
/// input so it exits.
pub fn forward(stdin: Option<ChildStdin>, work: Receiver<Work>, answered: SyncSender<Work>) {
    let mut w = stdin.map(|s| std::io::BufWriter::with_capacity(16 * 1024, s));
    let flush = |w: &mut Option<std::io::BufWriter<ChildStdin>>| {
        if w.as_mut().is_some_and(|w| w.flush().is_err()) {
            *w = None;
        }
    };
    loop {
        let item = match work.try_recv() {
            Ok(item) => item,
            Err(TryRecvError::Empty) => {
                flush(&mut w);
                match work.recv() {
                    Ok(item) => item,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        if let Some(out) = w.as_mut()
            && writeln!(out, "{}", item.oid).is_err()
        {
            w = None;
        }
        match answered.try_send(item) {
            Ok(()) => {}
            Err(TrySendError::Full(item)) => {
                flush(&mut w);
                if answered.send(item).is_err() {
                    break;
                }
            }
            Err(TrySendError::Disconnected(_)) => break,
        }
    }
    flush(&mut w);
}

/// Reads one answer, `<id> blob <size>\n<bytes>\n` or `<id> missing\n`, for
/// blob `want`; the bytes go to `buf` (reused: no allocation once it has
/// grown to the largest blob). `None` when the stream ends or is not what
/// was asked for: the reader is then out of step and must not be used again.
pub fn read_one(
    out: &mut impl BufRead,
    line: &mut Vec<u8>,
    want: Oid,
    max_size: u64,
    buf: &mut Vec<u8>,
) -> Option<Answer> {
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
        return Some(Answer::Fallback);
    }
    let size: u64 = parts.next()?.parse().ok()?;
    if size > max_size {
        let skipped = std::io::copy(&mut (&mut *out).take(size + 1), &mut std::io::sink()).ok()?;
        return (skipped == size + 1).then_some(Answer::TooBig);
    }
    buf.clear();
    let got = (&mut *out).take(size).read_to_end(buf).ok()?;
    let mut lf = [0u8; 1];
    out.read_exact(&mut lf).ok()?;
    (got as u64 == size && lf[0] == b'\n').then_some(Answer::Bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_blobs_missing_and_oversize_answers() {
        let a = Oid::from_bytes(&[1; 20]).expect("oid");
        let b = Oid::from_bytes(&[2; 20]).expect("oid");
        let c = Oid::from_bytes(&[3; 20]).expect("oid");
        let stream =
            format!("{a} blob 3\nabc\n{b} missing\n{c} blob 10\n0123456789\n{a} blob 0\n\n");
        let mut r = std::io::Cursor::new(stream.into_bytes());
        let mut line = Vec::new();
        let mut buf = b"stale".to_vec();
        assert_eq!(
            read_one(&mut r, &mut line, a, 5, &mut buf),
            Some(Answer::Bytes)
        );
        assert_eq!(buf, b"abc");
        assert_eq!(
            read_one(&mut r, &mut line, b, 5, &mut buf),
            Some(Answer::Fallback)
        );
        assert_eq!(
            read_one(&mut r, &mut line, c, 5, &mut buf),
            Some(Answer::TooBig)
        );
        assert_eq!(
            read_one(&mut r, &mut line, a, 5, &mut buf),
            Some(Answer::Bytes)
        );
        assert!(
            buf.is_empty(),
            "an empty blob leaves nothing of the last one"
        );
        assert!(
            read_one(&mut r, &mut line, a, 5, &mut buf).is_none(),
            "end of stream"
        );
        // an answer for another id than asked: stop, fall back
        let mut r = std::io::Cursor::new(format!("{b} blob 1\nx\n").into_bytes());
        assert!(read_one(&mut r, &mut line, a, 5, &mut buf).is_none());
        // a truncated answer
        let mut r = std::io::Cursor::new(format!("{a} blob 9\nabc").into_bytes());
        assert!(read_one(&mut r, &mut line, a, 50, &mut buf).is_none());
    }

    #[test]
    fn forward_passes_every_item_on_in_order_even_without_a_child() {
        let (tx, rx) = std::sync::mpsc::sync_channel(4);
        let (atx, arx) = std::sync::mpsc::sync_channel(2);
        let items: Vec<Work> = (0..10u32)
            .map(|i| Work {
                index: i,
                oid: Oid::from_bytes(&[i as u8; 20]).expect("oid"),
                path: "p".into(),
                prior: false,
            })
            .collect();
        std::thread::scope(|s| {
            s.spawn(move || forward(None, rx, atx));
            s.spawn(move || {
                for w in items {
                    tx.send(w).expect("send");
                }
            });
            let got: Vec<u32> = arx.iter().map(|w| w.index).collect();
            assert_eq!(got, (0..10).collect::<Vec<_>>());
        });
    }
}
