//! Fake-token templates for rule examples.
//!
//! Rule files must never hold a string shaped like a real credential (GitHub
//! push protection, and common sense). Examples therefore describe tokens:
//! `{{lit:ghp_}}{{base62:30}}{{github-crc}}` expands, at test time, to a
//! token with the right shape and checksum built from a seeded generator, so
//! every run sees the same string but no file in the repo holds it.
//!
//! Directives:
//! `{{alnum:N}}` `{{base62:N}}` `{{hex:N}}` `{{HEX:N}}` `{{lower:N}}` `{{upper:N}}`
//! `{{digits:N}}` `{{b64:N}}` (standard alphabet) `{{b64url:N}}`
//! `{{lit:TEXT}}` (a literal, so a prefix like `ghp_` need not appear verbatim
//! next to a token-shaped tail), `{{github-crc}}` (6 base62 chars: CRC32 of the
//! text generated since the last `{{lit:…}}`, as GitHub and npm tokens carry),
//! `{{b64enc:TEXT}}` (base64 of TEXT, templates inside expanded first),
//! `{{jwt:HEADER_JSON|PAYLOAD_JSON}}` (an unsigned-looking JWT with a random
//! signature). Text outside `{{ }}` is copied as is.

use base64::Engine;

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Expands the templates in `text`, seeding the generator with `seed` so the
/// output is the same on every run.
pub fn expand(text: &str, seed: u64) -> Result<String, String> {
    let mut rng = fastrand::Rng::with_seed(seed);
    expand_with(text, &mut rng)
}

fn expand_with(text: &str, rng: &mut fastrand::Rng) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + 64);
    // start of the part that `{{github-crc}}` covers
    let mut crc_from = 0usize;
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = find_close(after) else {
            return Err(format!("unclosed '{{{{' in example: {text:?}"));
        };
        let directive = &after[..close];
        rest = &after[close + 2..];
        let (name, arg) = directive.split_once(':').unwrap_or((directive, ""));
        let count = || -> Result<usize, String> {
            arg.parse::<usize>()
                .map_err(|_| format!("'{{{{{directive}}}}}' needs a length"))
        };
        match name {
            "alnum" | "base62" => push_from(&mut out, rng, BASE62, count()?),
            "hex" => push_from(&mut out, rng, b"0123456789abcdef", count()?),
            "HEX" => push_from(&mut out, rng, b"0123456789ABCDEF", count()?),
            "lower" => push_from(&mut out, rng, b"abcdefghijklmnopqrstuvwxyz", count()?),
            "upper" => push_from(&mut out, rng, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", count()?),
            "digits" => push_from(&mut out, rng, b"0123456789", count()?),
            "b64" => push_from(
                &mut out,
                rng,
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                count()?,
            ),
            "b64url" => push_from(
                &mut out,
                rng,
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                count()?,
            ),
            "lit" => {
                out.push_str(arg);
                crc_from = out.len();
                continue;
            }
            "github-crc" => {
                let crc = crc32fast::hash(&out.as_bytes()[crc_from..]);
                out.push_str(&base62_fixed(crc, 6));
            }
            "b64enc" => {
                let inner = expand_with(arg, rng)?;
                out.push_str(&base64::engine::general_purpose::STANDARD.encode(inner));
            }
            "jwt" => {
                let (h, p) = arg
                    .split_once('|')
                    .ok_or_else(|| "jwt needs HEADER|PAYLOAD".to_string())?;
                let eng = base64::engine::general_purpose::URL_SAFE_NO_PAD;
                out.push_str(&eng.encode(expand_with(h, rng)?));
                out.push('.');
                out.push_str(&eng.encode(expand_with(p, rng)?));
                out.push('.');
                push_from(
                    &mut out,
                    rng,
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                    43,
                );
            }
            _ => return Err(format!("unknown template '{{{{{directive}}}}}'")),
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Finds the `}}` that closes a directive, allowing one level of nested
/// `{{ }}` inside (as in `{{b64enc:user:{{alnum:12}}}}`).
fn find_close(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'{' && b[i + 1] == b'{' {
            depth += 1;
            i += 2;
        } else if b[i] == b'}' && b[i + 1] == b'}' {
            if depth == 0 {
                // `…}}}`: the first `}` belongs to the content (JSON in a jwt)
                if b.get(i + 2) == Some(&b'}') {
                    i += 1;
                    continue;
                }
                return Some(i);
            }
            depth -= 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    None
}

fn push_from(out: &mut String, rng: &mut fastrand::Rng, alphabet: &[u8], n: usize) {
    for _ in 0..n {
        out.push(alphabet[rng.usize(..alphabet.len())] as char);
    }
}

/// Base62 of `n`, left-padded with `0` to `width` (GitHub's checksum form).
pub fn base62_fixed(mut n: u32, width: usize) -> String {
    let mut digits = vec![b'0'; width];
    for slot in digits.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8(digits).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_deterministically() {
        let a = expand("k={{lit:ab_}}{{base62:30}}{{github-crc}}", 7).unwrap();
        let b = expand("k={{lit:ab_}}{{base62:30}}{{github-crc}}", 7).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 2 + 3 + 30 + 6);
        assert!(a.starts_with("k=ab_"));
        let crc = crc32fast::hash(&a.as_bytes()[5..35]);
        assert_eq!(&a[35..], base62_fixed(crc, 6));
    }

    #[test]
    fn nested_and_errors() {
        let s = expand("Basic {{b64enc:user:{{lower:4}}}}", 1).unwrap();
        assert!(s.starts_with("Basic dXNlcj"));
        assert!(expand("{{nope:3}}", 1).is_err());
        assert!(expand("{{hex:x}}", 1).is_err());
        assert!(expand("{{hex:3", 1).is_err());
        assert_eq!(expand("plain", 1).unwrap(), "plain");
    }
}
