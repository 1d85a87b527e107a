//! UTF-16 text files (Windows tools write them: PowerShell redirections,
//! `.reg` exports, some `.ini`/`.config` files).
//!
//! Such a file is full of NUL bytes, so the binary sniff alone would skip it
//! and a secret inside would go unseen. A file that *starts with a UTF-16
//! byte-order mark* (`FF FE` little-endian, `FE FF` big-endian) is decoded
//! to UTF-8 before detection instead. Line and column numbers in findings
//! then refer to the decoded UTF-8 text (columns count its bytes), not to
//! the bytes on disk. Unpaired surrogates become U+FFFD. Files without a BOM
//! are not guessed at, and neither is a file whose first 8 KiB hold no NUL
//! byte: UTF-16 of ASCII-range text always has NULs, so `FF FE` in front of
//! NUL-free bytes is taken as stray bytes in a UTF-8/Latin-1 file and that
//! file is scanned as it is. Only files read whole are decoded; a UTF-16 file
//! larger than the streaming threshold is still treated as binary. Reading
//! the file and deciding what is binary is [`super::fs`]'s job.

/// Byte order of a UTF-16 file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endian {
    Little,
    Big,
}

/// The byte order announced by a leading BOM, if any.
pub fn bom(bytes: &[u8]) -> Option<Endian> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(Endian::Little),
        [0xFE, 0xFF, ..] => Some(Endian::Big),
        _ => None,
    }
}

/// Decodes UTF-16 (BOM included or not; a leading BOM is dropped) into
/// UTF-8 bytes in `out`, replacing unpaired surrogates and a dangling odd
/// byte with U+FFFD.
pub fn decode_into(bytes: &[u8], endian: Endian, out: &mut Vec<u8>) {
    let body = if bom(bytes).is_some() {
        &bytes[2..]
    } else {
        bytes
    };
    let units = body.chunks_exact(2).map(|p| match endian {
        Endian::Little => u16::from_le_bytes([p[0], p[1]]),
        Endian::Big => u16::from_be_bytes([p[0], p[1]]),
    });
    out.clear();
    out.reserve(body.len() / 2);
    let mut tmp = [0u8; 4];
    for c in char::decode_utf16(units) {
        let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
        out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
    }
    if body.len() % 2 == 1 {
        out.extend_from_slice(char::REPLACEMENT_CHARACTER.encode_utf8(&mut tmp).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, endian: Endian) -> Vec<u8> {
        let mut v = match endian {
            Endian::Little => vec![0xFF, 0xFE],
            Endian::Big => vec![0xFE, 0xFF],
        };
        for u in text.encode_utf16() {
            v.extend_from_slice(&match endian {
                Endian::Little => u.to_le_bytes(),
                Endian::Big => u.to_be_bytes(),
            });
        }
        v
    }

    #[test]
    fn round_trips_both_orders() {
        for e in [Endian::Little, Endian::Big] {
            let bytes = encode("key = \"é€😀\"\r\nnext\n", e);
            assert_eq!(bom(&bytes), Some(e));
            let mut out = Vec::new();
            decode_into(&bytes, e, &mut out);
            assert_eq!(out, "key = \"é€😀\"\r\nnext\n".as_bytes());
        }
    }

    #[test]
    fn no_bom_is_not_utf16() {
        assert_eq!(bom(b"plain"), None);
        assert_eq!(bom(&[0xFF]), None);
        assert_eq!(bom(&[]), None);
    }

    #[test]
    fn broken_input_is_replaced_not_panicking() {
        let mut out = Vec::new();
        // lone high surrogate, then an odd trailing byte
        decode_into(
            &[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00, 0x42],
            Endian::Little,
            &mut out,
        );
        assert_eq!(
            String::from_utf8(out).ok().as_deref(),
            Some("\u{FFFD}A\u{FFFD}")
        );
    }
}
