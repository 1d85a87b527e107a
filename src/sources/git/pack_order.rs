//! In which order to read blobs: pack order.
//!
//! In a pack, a delta's base is always stored before it (an offset delta
//! points backwards), and `git gc` stores the newest version of a file whole
//! and older ones as deltas against it. Reading blobs oldest commit first
//! therefore inflates the same long delta chains again and again; reading
//! them by pack offset finds each base in the reader's delta-base cache, as
//! `git cat-file --batch-all-objects --unordered` does. It matters most for
//! the `git cat-file` reader ([`super::catfile`]), whose cache keeps every
//! unpacked base; libgit2 keeps only chain roots, so it gains less.
//!
//! Offsets come from the packs' `.idx` files (version 2), read once as a
//! stream and merged with the blob ids sorted: no index is held in memory.
//! Objects found in no index (loose objects, alternates, version 1 indexes)
//! go last, in their original order. Attribution does not depend on this
//! order; it is only the schedule.

use git2::Oid;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// A permutation of `0..oids.len()`: the order to read `oids` in.
pub fn pack_order(objects_dir: &Path, oids: &[Oid]) -> Vec<u32> {
    let mut key = vec![u64::MAX; oids.len()];
    let mut by_oid: Vec<u32> = (0..oids.len() as u32).collect();
    by_oid.sort_unstable_by(|&a, &b| oids[a as usize].cmp(&oids[b as usize]));
    for (p, idx) in index_files(objects_dir).iter().enumerate() {
        // an unreadable index only costs speed: its blobs are read last
        let _ = locate(idx, p as u64, oids, &by_oid, &mut key);
    }
    let mut order: Vec<u32> = (0..oids.len() as u32).collect();
    order.sort_by_key(|&i| (key[i as usize], i));
    order
}

/// The `.idx` files of `objects/pack`, by name (so the order is stable).
fn index_files(objects_dir: &Path) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(objects_dir.join("pack")) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = dir
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .collect();
    v.sort();
    v
}

/// Sets `key[i] = pack << 48 | offset` for each blob of `oids` that index
/// `idx` (pack number `pack`) lists and no earlier pack did.
fn locate(
    idx: &Path,
    pack: u64,
    oids: &[Oid],
    by_oid: &[u32],
    key: &mut [u64],
) -> std::io::Result<()> {
    let mut r = BufReader::with_capacity(64 * 1024, File::open(idx)?);
    let mut head = [0u8; 8];
    r.read_exact(&mut head)?;
    if head != [0xff, b't', b'O', b'c', 0, 0, 0, 2] {
        return Ok(()); // version 1: rare; left unordered
    }
    let mut fanout = [0u8; 1024];
    r.read_exact(&mut fanout)?;
    let n = u32::from_be_bytes([fanout[1020], fanout[1021], fanout[1022], fanout[1023]]) as u64;

    // (position in the index, blob index) of every blob this pack holds
    let mut hits: Vec<(u64, u32)> = Vec::new();
    let mut j = 0;
    let mut sha = [0u8; 20];
    let mut cur: u64 = 8 + 1024; // bytes consumed so far
    for pos in 0..n {
        if j == by_oid.len() {
            break;
        }
        r.read_exact(&mut sha)?;
        cur += 20;
        while j < by_oid.len() && oids[by_oid[j] as usize].as_bytes() < &sha[..] {
            j += 1;
        }
        let mut k = j;
        while k < by_oid.len() && oids[by_oid[k] as usize].as_bytes() == &sha[..] {
            hits.push((pos, by_oid[k]));
            k += 1;
        }
    }
    // 4-byte offsets follow the N ids and N CRCs; large ones (top bit set)
    // index a table of 8-byte offsets after them.
    let offsets = 8 + 1024 + n * 24;
    let large = offsets + n * 4;
    // `hits` ascend by position, so every seek is forward and, when close,
    // served from the buffer (`seek_relative`) instead of a new read.
    let mut buf = [0u8; 4];
    let mut big = Vec::new();
    for &(pos, i) in &hits {
        seek_to(&mut r, &mut cur, offsets + pos * 4)?;
        r.read_exact(&mut buf)?;
        cur += 4;
        let off = u32::from_be_bytes(buf);
        if off & 0x8000_0000 != 0 {
            big.push((u64::from(off & 0x7fff_ffff), i));
        } else if key[i as usize] == u64::MAX {
            key[i as usize] = pack << 48 | u64::from(off);
        }
    }
    let mut buf8 = [0u8; 8];
    big.sort_unstable();
    for (slot, i) in big {
        seek_to(&mut r, &mut cur, large + slot * 8)?;
        r.read_exact(&mut buf8)?;
        cur += 8;
        if key[i as usize] == u64::MAX {
            key[i as usize] = pack << 48 | (u64::from_be_bytes(buf8) & ((1 << 48) - 1));
        }
    }
    Ok(())
}

/// Moves `r` forward from `*cur` to byte `to`, within the buffer when it can.
fn seek_to(r: &mut BufReader<File>, cur: &mut u64, to: u64) -> std::io::Result<()> {
    r.seek_relative(to as i64 - *cur as i64)?;
    *cur = to;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a version-2 index listing `objects` (id, offset), sorted by id.
    fn write_idx(path: &Path, objects: &mut [([u8; 20], u64)]) {
        objects.sort();
        let mut v = vec![0xff, b't', b'O', b'c', 0, 0, 0, 2];
        for b in 0..256usize {
            let count = objects
                .iter()
                .filter(|(id, _)| (id[0] as usize) <= b)
                .count() as u32;
            v.extend_from_slice(&count.to_be_bytes());
        }
        for (id, _) in objects.iter() {
            v.extend_from_slice(id);
        }
        for _ in objects.iter() {
            v.extend_from_slice(&[0; 4]); // CRCs
        }
        let mut large = Vec::new();
        for (_, off) in objects.iter() {
            if *off >= 0x8000_0000 {
                v.extend_from_slice(&(0x8000_0000u32 | large.len() as u32).to_be_bytes());
                large.push(*off);
            } else {
                v.extend_from_slice(&(*off as u32).to_be_bytes());
            }
        }
        for off in large {
            v.extend_from_slice(&off.to_be_bytes());
        }
        std::fs::write(path, v).expect("write idx");
    }

    #[test]
    fn blobs_are_ordered_by_pack_then_offset_and_unknown_ones_last() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("pack")).expect("mkdir");
        let id = |b: u8| [b; 20];
        write_idx(
            &dir.path().join("pack/pack-a.idx"),
            &mut [
                (id(0x10), 900),
                (id(0x20), 12),
                (id(0x30), 0x1_0000_0000),
                (id(0x40), 5),
            ],
        );
        write_idx(
            &dir.path().join("pack/pack-b.idx"),
            &mut [(id(0x50), 1), (id(0x20), 7)],
        );
        let oid = |b: u8| Oid::from_bytes(&id(b)).expect("oid");
        // 0x60 is in no pack (a loose object); 0x40 is not asked for
        let oids = [oid(0x60), oid(0x30), oid(0x10), oid(0x50), oid(0x20)];
        assert_eq!(pack_order(dir.path(), &oids), vec![4, 2, 1, 3, 0]);
    }

    #[test]
    fn no_pack_folder_keeps_the_original_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let oids = [
            Oid::from_bytes(&[9; 20]).expect("oid"),
            Oid::from_bytes(&[1; 20]).expect("oid"),
        ];
        assert_eq!(pack_order(dir.path(), &oids), vec![0, 1]);
    }
}
