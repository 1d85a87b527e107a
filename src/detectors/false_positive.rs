//! Global false-positive discipline: what is never a finding, whichever rule
//! matched it.
//!
//! The lists are data (`data/false-positives.yaml`, compiled into the binary)
//! so they can grow without code changes: providers' documented sample keys
//! (plain or by SHA-256), lock-file names and content-hash prefixes, and the
//! stop-words and minimum length every generic rule carries. The checks that
//! need to look at the text around a match stay in code:
//!
//! - the match lies inside public material: a `-----BEGIN CERTIFICATE-----`
//!   or `PUBLIC KEY` block, an SSH public key (`ssh-rsa AAAA…`), or the
//!   payload of a data URI (`data:image/png;base64,…`);
//! - for generic rules: UUIDs and 40-hex git SHAs, hash-prefixed values
//!   (`sha512-…`, `h1:…`).
//!
//! Template placeholders and environment lookups are [`super::placeholder`]'s
//! job; per-rule allowlists and the user's config allowlist are applied
//! elsewhere ([`super::secrets`], [`crate::filters`]).

use crate::rules::CompiledRule;
use regex::bytes::Regex;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The data file, as written.
const DATA: &str = include_str!("../../data/false-positives.yaml");

/// How far back from a match to look for the `-----BEGIN …` line of the PEM
/// block it may sit in, in bytes. A 4096-bit certificate chain entry is about
/// 2 KiB; 16 KiB covers long chains while bounding the work per match.
const PEM_LOOKBACK: usize = 16 * 1024;

/// `data/false-positives.yaml` as written. Unknown keys are errors (caught by
/// the unit test that parses it), so a typo cannot silently disable a list.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Syntax {
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    sha256: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    lock_files: Vec<String>,
    #[serde(default)]
    hash_prefixes: Vec<String>,
    #[serde(default)]
    localisation_files: Vec<String>,
    #[serde(default)]
    code_files: Vec<String>,
    #[serde(default)]
    demo_values: Vec<String>,
    #[serde(default)]
    generic: GenericSyntax,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GenericSyntax {
    #[serde(default)]
    min_length: usize,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    identifier_words: Vec<String>,
    #[serde(default)]
    public_names: Vec<String>,
    #[serde(default)]
    non_secret_names: Vec<String>,
    #[serde(default)]
    doc_markers: Vec<String>,
    #[serde(default)]
    name_patterns: Vec<String>,
}

/// The compiled global lists.
#[derive(Debug, Default)]
pub struct FalsePositives {
    values: Vec<Vec<u8>>,
    /// Lowercase hex SHA-256 of documented samples.
    sha256: Vec<String>,
    patterns: Vec<Regex>,
    lock_files: Vec<String>,
    hash_prefixes: Vec<Vec<u8>>,
    /// Minimum length in bytes of a generic rule's captured value.
    pub generic_min_length: usize,
    /// Lowercased.
    generic_stopwords: Vec<Vec<u8>>,
    /// Lowercased words that, before a UUID or git SHA, mark it as an id.
    identifier_words: Vec<String>,
    /// Lowercased words that, in the name before a value, mark it public
    /// (`publicToken`, `csrf-token`) or not a credential (`nextPageToken`).
    public_names: Vec<String>,
    /// Globs on the file name of localisation files.
    localisation_files: globset::GlobSet,
    /// File name endings of source code.
    code_files: Vec<String>,
    /// Lowercased well-known demo values.
    demo_values: Vec<String>,
    /// Text before a match on its line that marks documentation.
    doc_markers: Vec<Vec<u8>>,
    /// Regexes on a generic rule's value that mark a name or reference.
    name_patterns: Vec<Regex>,
}

impl FalsePositives {
    fn parse(text: &str) -> Result<FalsePositives, String> {
        let s: Syntax = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        let compile = |list: &[String]| -> Result<Vec<Regex>, String> {
            list.iter()
                .map(|p| Regex::new(p).map_err(|e| format!("pattern {p:?}: {e}")))
                .collect()
        };
        let patterns = compile(&s.patterns)?;
        let name_patterns = compile(&s.generic.name_patterns)?;
        let mut globs = globset::GlobSetBuilder::new();
        for g in &s.localisation_files {
            globs.add(globset::Glob::new(g).map_err(|e| format!("glob {g:?}: {e}"))?);
        }
        let localisation_files = globs.build().map_err(|e| e.to_string())?;
        Ok(FalsePositives {
            values: s.values.into_iter().map(String::into_bytes).collect(),
            sha256: s.sha256.iter().map(|h| h.to_ascii_lowercase()).collect(),
            patterns,
            lock_files: s.lock_files,
            hash_prefixes: s
                .hash_prefixes
                .into_iter()
                .map(String::into_bytes)
                .collect(),
            generic_min_length: s.generic.min_length,
            generic_stopwords: s
                .generic
                .stopwords
                .iter()
                .map(|w| w.to_ascii_lowercase().into_bytes())
                .collect(),
            identifier_words: s
                .generic
                .identifier_words
                .iter()
                .map(|w| w.to_ascii_lowercase())
                .collect(),
            public_names: s
                .generic
                .public_names
                .iter()
                .chain(&s.generic.non_secret_names)
                .map(|w| w.to_ascii_lowercase())
                .collect(),
            localisation_files,
            code_files: s.code_files,
            demo_values: s.demo_values.iter().map(|w| w.to_lowercase()).collect(),
            doc_markers: s
                .generic
                .doc_markers
                .into_iter()
                .map(String::into_bytes)
                .collect(),
            name_patterns,
        })
    }

    /// True when `secret` is a documented sample (any rule).
    pub fn is_documented_sample(&self, secret: &[u8]) -> bool {
        if self.values.iter().any(|v| v == secret)
            || self.patterns.iter().any(|p| p.is_match(secret))
        {
            return true;
        }
        if self.sha256.is_empty() {
            return false;
        }
        let digest = Sha256::digest(secret);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        self.sha256.contains(&hex)
    }

    /// True when `path`'s file name is a known lock file.
    pub fn is_lock_file(&self, path: &str) -> bool {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        self.lock_files.iter().any(|l| l == name)
    }

    /// True when `path`'s file name is a localisation file (`login_de.properties`,
    /// `messages.po`): generic rules are off there.
    pub fn is_localisation_file(&self, path: &str) -> bool {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        self.localisation_files.is_match(name)
    }

    /// True when `path` is source code (see `code_files`).
    pub fn is_code_file(&self, path: &str) -> bool {
        self.code_files
            .iter()
            .any(|ext| path.ends_with(ext.as_str()))
    }

    /// Why a generic rule's value is a demo value (`hunter2`, `P@ssw0rd`,
    /// `mypass`, `12345`, `9cbaf0…`), or `None` for a value that may be
    /// real. Demo values stay findings, at `info`.
    pub fn demo_reason(&self, secret: &[u8]) -> Option<&'static str> {
        let s = std::str::from_utf8(secret).ok()?;
        if s.ends_with("...") || s.contains('…') {
            return Some("truncated");
        }
        let lower = s.to_lowercase();
        let unswapped: String = lower
            .chars()
            .map(|c| match c {
                '@' | '4' => 'a',
                '0' => 'o',
                '1' => 'l',
                '3' => 'e',
                '5' | '$' => 's',
                '7' => 't',
                c => c,
            })
            .collect();
        let known = |v: &str| self.demo_values.iter().any(|d| d == v);
        let unswapped_known = {
            // `passw0rd1`: the swaps turn a trailing counter into letters too
            let trimmed = lower.trim_end_matches(|c: char| c.is_ascii_digit());
            known(&unswapped) || (trimmed.len() >= 4 && known(trimmed))
        };
        if known(&lower) || unswapped_known {
            return Some("a well-known demo password");
        }
        if s.len() <= 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Some("digits only");
        }
        if is_word_like(s) {
            return Some("a dictionary-like word");
        }
        None
    }

    /// Generic-rule checks that need the match's line: documentation
    /// (`:param password: …`) and values that are names or references.
    pub fn names_not_secret(&self, data: &[u8], start: usize, end: usize) -> bool {
        let secret = &data[start..end];
        if self.name_patterns.iter().any(|p| p.is_match(secret)) {
            return true;
        }
        let line_start = memchr::memrchr(b'\n', &data[start.saturating_sub(512)..start])
            .map_or(start.saturating_sub(512), |i| {
                start.saturating_sub(512) + i + 1
            });
        let before = &data[line_start..start];
        self.doc_markers
            .iter()
            .any(|m| memchr::memmem::find(before, m).is_some())
    }

    /// True when the value at `data[start..]` is (part of) a content hash:
    /// the base64/hex run holding it starts with, or follows, a hash prefix
    /// (`sha512-`, `h1:`, `--hash=`…).
    pub fn in_hash_value(&self, data: &[u8], start: usize) -> bool {
        let mut i = start;
        while i > 0 && start - i < 4096 && is_b64(data[i - 1]) {
            i -= 1;
        }
        let (before, run) = data.split_at(i);
        self.hash_prefixes
            .iter()
            .any(|p| before.ends_with(p) || run.starts_with(p))
    }

    /// Generic-rule checks on the captured value alone: minimum length
    /// (`min_length`: the rule's own, or else the global default),
    /// stop-words, and a captured `name=value` pair named as an identifier
    /// (`request_id=ab12…`: the rule caught an id, not a secret).
    pub fn generic_noise(&self, secret: &[u8], min_length: usize) -> bool {
        let min = if min_length == 0 {
            self.generic_min_length
        } else {
            min_length
        };
        if secret.len() < min || self.labelled_assignment(secret) {
            return true;
        }
        let lower = secret.to_ascii_lowercase();
        self.generic_stopwords
            .iter()
            .any(|w| memchr::memmem::find(&lower, w).is_some())
    }

    /// `name=value` where `name` starts with a letter, holds letters,
    /// digits, `_`, `-`, `.`, and is not itself a credential word (`key=…`
    /// after `api token` is the token): the rule ran past its keyword's value
    /// into the next assignment (`lease token-token holder=api-7d9f8b6c5d-x2k9p`,
    /// `request_id=7f3a…`). Base64 never holds `=` before its end, so no
    /// encoded secret has this shape.
    fn labelled_assignment(&self, s: &[u8]) -> bool {
        const CREDENTIAL_WORDS: &[&[u8]] = &[
            b"key",
            b"token",
            b"secret",
            b"password",
            b"passwd",
            b"pass",
            b"pwd",
            b"apikey",
            b"auth",
            b"credential",
            b"credentials",
        ];
        let Some(eq) = memchr::memchr(b'=', s) else {
            return false;
        };
        let name = &s[..eq];
        // a name is letters and separators: `live_8uq9fsUA28SqKT=CTsQ…` is
        // one token with an `=` inside, not an assignment
        name.first().is_some_and(u8::is_ascii_alphabetic)
            && name
                .iter()
                .all(|&b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'-' | b'.'))
            && s[eq + 1..].iter().any(|&b| b != b'=')
            && (self.has_identifier_word(name)
                || !words(name).any(|w| CREDENTIAL_WORDS.contains(&w.as_slice())))
    }

    fn has_identifier_word(&self, text: &[u8]) -> bool {
        words(text).any(|w| {
            self.identifier_words
                .iter()
                .any(|iw| iw.as_bytes() == w.as_slice())
        })
    }

    /// A UUID or git SHA at `data[start..end]` named as an identifier by the
    /// text before it on its line (see `identifier_words`).
    pub fn labelled_identifier(&self, data: &[u8], start: usize, end: usize) -> bool {
        let secret = &data[start..end];
        (is_uuid(secret) || is_git_sha(secret))
            && self.has_identifier_word(name_before(data, start))
    }

    /// A value whose name says it is public: `publicToken = …`,
    /// `csrf-token=…` (see `public_names`).
    pub fn labelled_public(&self, data: &[u8], start: usize) -> bool {
        words(name_before(data, start)).any(|w| {
            self.public_names
                .iter()
                .any(|p| p.as_bytes() == w.as_slice())
        })
    }

    /// Every global check for one match of `rule`.
    ///
    /// The global minimum length applies to generic rules that judge values
    /// by entropy and set no `min_length`: entropy says nothing about a
    /// short string. A generic rule judged by structure (the password in a
    /// `postgres://user:pass@host` URL) keeps its short matches.
    pub fn rejects(&self, rule: &CompiledRule, data: &[u8], start: usize, end: usize) -> bool {
        let secret = &data[start..end];
        let min_length = match (rule.min_length, rule.min_entropy) {
            (0, None) => 1,
            (n, _) => n,
        };
        // the generic checks look at the value and its line only; they go
        // first because most generic candidates fail them, and the public
        // material check may look 16 KiB back for a PEM header
        if rule.generic
            && (self.generic_noise(secret, min_length)
                || self.in_hash_value(data, start)
                || self.labelled_identifier(data, start, end)
                || self.labelled_public(data, start)
                || self.names_not_secret(data, start, end))
        {
            return true;
        }
        self.is_documented_sample(secret) || in_public_material(data, start, end)
    }
}

/// The global lists, parsed once. The data file is part of the binary and a
/// unit test parses it, so the empty fallback is never used in practice.
pub fn global() -> &'static FalsePositives {
    static FP: OnceLock<FalsePositives> = OnceLock::new();
    FP.get_or_init(|| FalsePositives::parse(DATA).unwrap_or_default())
}

/// True when `data[start..end]` is an identifier or dotted path written
/// without quotes around it (`password = auth`, `Password: cfg.Pass`): in
/// source code, a variable rather than a literal. A value inside a string
/// literal (an odd number of one kind of quote before it on its line, as in
/// `` body: `new_password=user1&token=…` ``) is a literal after all.
pub fn unquoted_identifier(data: &[u8], start: usize, end: usize) -> bool {
    let quote = |b: Option<&u8>| matches!(b, Some(b'"' | b'\'' | b'`'));
    if quote(start.checked_sub(1).and_then(|i| data.get(i))) || quote(data.get(end)) {
        return false;
    }
    let floor = start.saturating_sub(1024);
    let line_start = memchr::memrchr(b'\n', &data[floor..start]).map_or(floor, |i| floor + i + 1);
    let before = &data[line_start..start];
    if [b'"', b'\'', b'`']
        .iter()
        .any(|q| memchr::memchr_iter(*q, before).count() % 2 == 1)
    {
        return false;
    }
    let s = &data[start..end];
    // a number: `NSS_BUFLEN_PASSWD = 1024`, `ERROR_WRONG_PASSWORD = 0x52B`
    let number = s.iter().all(u8::is_ascii_digit)
        || (s.len() > 2
            && s[..2].eq_ignore_ascii_case(b"0x")
            && s[2..].iter().all(u8::is_ascii_hexdigit));
    number
        || (s
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            && s.iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.')))
}

/// A value a person would call a word: ASCII letters with at most two
/// capitals (`yolopass`, `Wachtwoord`, `otherUser`), or up to five such
/// words joined by `-` or `_` (`secure-password`, `this_is_the_secret`),
/// either followed by at most four digits (`password1`, `mypass2`).
/// Machine-made tokens have more capitals or digits inside.
fn is_word_like(s: &str) -> bool {
    let body = s.trim_end_matches(|c: char| c.is_ascii_digit());
    if body.len() < 3 || s.len() - body.len() > 4 || body.len() > 40 {
        return false;
    }
    let parts: Vec<&str> = body.split(['-', '_']).collect();
    parts.len() <= 5
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 16 && p.bytes().all(|b| b.is_ascii_alphabetic()))
        && body.bytes().filter(u8::is_ascii_uppercase).count() <= 2
}

/// `8-4-4-4-12` hex digits.
pub fn is_uuid(s: &[u8]) -> bool {
    s.len() == 36
        && s.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Exactly 40 hex digits, one case: a git object id (SHA-1).
pub fn is_git_sha(s: &[u8]) -> bool {
    s.len() == 40
        && (s
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            || s.iter()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b)))
}

/// The name a value at `start` is assigned to: the word (letters, digits,
/// `_`, `-`, `.`) right before it on its line, past quotes, blanks and an
/// assignment operator. `public static final String DB_PASSWORD = "…"` →
/// `DB_PASSWORD`; `"requestId": "…"` → `requestId`.
fn name_before(data: &[u8], start: usize) -> &[u8] {
    let floor = start.saturating_sub(256);
    let mut i = start;
    while i > floor
        && start - i < 16
        && matches!(
            data[i - 1],
            b' ' | b'\t' | b'"' | b'\'' | b'`' | b':' | b'=' | b'>' | b'<' | b',' | b'(' | b'['
        )
    {
        i -= 1;
    }
    let end = i;
    while i > floor
        && (data[i - 1].is_ascii_alphanumeric() || matches!(data[i - 1], b'_' | b'-' | b'.'))
    {
        i -= 1;
    }
    &data[i..end]
}

/// Lowercased words of `text`, split at anything not a letter or digit and
/// at lower→upper camelCase steps (`commitSha` → `commit`, `sha`).
fn words(text: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    let mut prev_lower = false;
    for &b in text {
        if b.is_ascii_alphanumeric() {
            if b.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
            cur.push(b.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter()
}

/// True when `data[start..end]` sits inside public material: a certificate
/// or public-key PEM block, an SSH public key, or a data URI's payload.
pub fn in_public_material(data: &[u8], start: usize, end: usize) -> bool {
    in_public_pem(data, start) || in_ssh_public_key(data, start, end) || in_data_uri(data, start)
}

/// Inside `-----BEGIN CERTIFICATE-----` (or a `PUBLIC KEY`, `CERTIFICATE
/// REQUEST`, `X509 CRL`, `PGP PUBLIC KEY BLOCK`) with no `-----END` between.
fn in_public_pem(data: &[u8], start: usize) -> bool {
    let lo = start.saturating_sub(PEM_LOOKBACK);
    let window = &data[lo..start];
    let Some(begin) = memchr::memmem::rfind(window, b"-----BEGIN ") else {
        return false;
    };
    let after = &window[begin + 11..];
    if memchr::memmem::find(after, b"-----END").is_some() {
        return false;
    }
    let label_end = memchr::memchr(b'-', after).unwrap_or(after.len());
    let label = &after[..label_end];
    label == b"CERTIFICATE"
        || label == b"TRUSTED CERTIFICATE"
        || label == b"CERTIFICATE REQUEST"
        || label == b"NEW CERTIFICATE REQUEST"
        || label == b"X509 CRL"
        || label.ends_with(b"PUBLIC KEY")
        || label == b"PGP PUBLIC KEY BLOCK"
        || label == b"PGP SIGNATURE"
}

/// Key types that start an OpenSSH public key line.
const SSH_KEY_TYPES: &[&[u8]] = &[
    b"ssh-rsa ",
    b"ssh-ed25519 ",
    b"ssh-dss ",
    b"ecdsa-sha2-nistp256 ",
    b"ecdsa-sha2-nistp384 ",
    b"ecdsa-sha2-nistp521 ",
    b"sk-ssh-ed25519@openssh.com ",
    b"sk-ecdsa-sha2-nistp256@openssh.com ",
];

/// The match is (part of) the base64 body of an OpenSSH public key: it
/// starts with the encoded key type (`AAAA…`) or the key type sits on the
/// same line right before the base64 run holding the match.
fn in_ssh_public_key(data: &[u8], start: usize, end: usize) -> bool {
    let secret = &data[start..end];
    if secret.starts_with(b"AAAAB3NzaC1")
        || secret.starts_with(b"AAAAC3NzaC1")
        || secret.starts_with(b"AAAAE2VjZHNh")
        || secret.starts_with(b"AAAAGnNrLX")
    {
        return true;
    }
    // walk back over the base64 run the match is in
    let mut i = start;
    while i > 0 && is_b64(data[i - 1]) {
        i -= 1;
    }
    SSH_KEY_TYPES.iter().any(|t| data[..i].ends_with(t))
}

/// The match is in the payload of `data:<mime>;base64,<payload>`.
fn in_data_uri(data: &[u8], start: usize) -> bool {
    let mut i = start;
    while i > 0 && is_b64(data[i - 1]) {
        i -= 1;
    }
    if !data[..i].ends_with(b";base64,") {
        return false;
    }
    let lo = i.saturating_sub(128);
    memchr::memmem::rfind(&data[lo..i], b"data:").is_some()
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp() -> FalsePositives {
        FalsePositives::parse(DATA).expect("data/false-positives.yaml parses")
    }

    #[test]
    fn data_file_parses_and_is_not_empty() {
        let f = fp();
        assert!(!f.values.is_empty());
        assert!(!f.sha256.is_empty());
        assert!(f.sha256.iter().all(|h| h.len() == 64));
        assert!(f.generic_min_length >= 8);
        assert!(!global().lock_files.is_empty());
    }

    #[test]
    fn unknown_key_is_an_error() {
        assert!(FalsePositives::parse("valeus: [x]\n").is_err());
    }

    #[test]
    fn documented_aws_samples_are_allowed() {
        let f = fp();
        let id = ["AKIA", "IOSFODNN7", "EXAMPLE"].concat();
        assert!(f.is_documented_sample(id.as_bytes()));
        let secret = ["wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY"].concat();
        assert!(f.is_documented_sample(secret.as_bytes()));
        // by hash: AWS's second documented key id
        let second = ["AKIA", "I44QH8DHB", "EXAMPLE"].concat();
        assert!(f.is_documented_sample(second.as_bytes()));
        let other = [["AK", "IA"].concat(), "QWERTYUIOPASDFGH".into()].concat();
        assert!(!f.is_documented_sample(other.as_bytes()));
    }

    #[test]
    fn localisation_and_code_files_by_name() {
        let f = fp();
        for p in [
            "core/login_de.properties",
            "x/config_pt_BR.properties",
            "po/fr.po",
        ] {
            assert!(f.is_localisation_file(p), "{p}");
        }
        for p in ["application.properties", "app_prod.properties", "login.py"] {
            assert!(!f.is_localisation_file(p), "{p}");
        }
        assert!(f.is_code_file("lib/driver.py"));
        assert!(!f.is_code_file("deploy/values.yaml"));
        assert!(!f.is_code_file(".env"));
    }

    #[test]
    fn demo_values_are_named_with_a_reason() {
        let f = fp();
        for (v, why) in [
            ("hunter2", "a well-known demo password"),
            ("P@ssw0rd", "a well-known demo password"),
            ("password1", "a well-known demo password"),
            ("yolopass", "a dictionary-like word"),
            ("secure-password", "a dictionary-like word"),
            ("mypass2", "a dictionary-like word"),
            ("12345", "digits only"),
            ("9cbaf0...", "truncated"),
            ("QVdTOkNp…", "truncated"),
        ] {
            assert_eq!(f.demo_reason(v.as_bytes()), Some(why), "{v}");
        }
        for v in [
            "jBs5UT00",
            "Hf7qpJs8",
            "Dy4@K_Z1gvb!!8zw",
            "aB3xQ9zLmW2p",
            "123456789012",
        ] {
            assert_eq!(f.demo_reason(v.as_bytes()), None, "{v}");
        }
    }

    #[test]
    fn unquoted_identifiers() {
        let line = b"password = auth\n";
        assert!(unquoted_identifier(line, 11, 15));
        let quoted = b"password = \"auth\"";
        assert!(!unquoted_identifier(quoted, 12, 16));
        let token = b"token = 9f8e7d6c5b4a";
        assert!(!unquoted_identifier(token, 8, token.len()));
        let in_string = b"body: `new_password=user1&token=1`";
        assert!(!unquoted_identifier(in_string, 20, 25));
    }

    #[test]
    fn names_and_references_are_not_secrets() {
        let f = fp();
        for line in [
            "  - key: kubernetes.io/e2e-az-name",
            "auth-tls-secret: \"default/ca-secret\"",
            "password: KEYSTORE_PASSWORD",
            "password=PGPASSWORD",
            "password = \"__generate__\"",
            "password: urn:k8s:secret:redis:password",
            "tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t",
        ] {
            let at = line.find([':', '=']).unwrap() + 1;
            let start = at + line[at..].find(|c: char| c != ' ' && c != '"').unwrap();
            let end = line.trim_end_matches('"').len();
            assert!(f.names_not_secret(line.as_bytes(), start, end), "{line}");
        }
        let doc = b":param password: User's password.";
        assert!(f.names_not_secret(doc, 17, 21));
        let real = b"password: hN7s!qP2zK9wLm4x";
        assert!(!f.names_not_secret(real, 10, real.len()));
    }

    #[test]
    fn lock_files_by_name() {
        let f = fp();
        for p in [
            "Cargo.lock",
            "web/package-lock.json",
            "a/b/go.sum",
            "yarn.lock",
        ] {
            assert!(f.is_lock_file(p), "{p}");
        }
        assert!(!f.is_lock_file("Cargo.lock.bak"));
        assert!(!f.is_lock_file("src/lock.rs"));
    }

    #[test]
    fn hash_prefixes() {
        let f = fp();
        let t = b"\"integrity\": \"sha512-abcDEF123/AKIAxyz==\"";
        let start = memchr::memmem::find(t, b"abcDEF").unwrap_or(0);
        assert!(f.in_hash_value(t, start));
        let mid = memchr::memmem::find(t, b"AKIA").unwrap_or(0);
        assert!(f.in_hash_value(t, mid));
        assert!(f.in_hash_value(b"golang.org/x/net v0.1.0 h1:abc", 27));
        assert!(!f.in_hash_value(b"token: abc", 7));
    }

    #[test]
    fn uuids_and_git_shas() {
        assert!(is_uuid(b"123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid(b"123e4567-e89b-12d3-a456-42661417400z"));
        assert!(is_git_sha(b"da39a3ee5e6b4b0d3255bfef95601890afd80709"));
        assert!(!is_git_sha(b"da39a3ee5e6b4b0d3255bfef95601890afd8070"));
        assert!(!is_git_sha(b"Da39a3ee5e6b4b0d3255bfef95601890afd80709"));
        let f = fp();
        let uuid = "123e4567-e89b-12d3-a456-426614174000";
        let sha = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        for (line, value, want) in [
            (format!("key_id: {uuid}"), uuid, true),
            (format!("\"requestId\": \"{uuid}\""), uuid, true),
            (format!("commitSha = {sha}"), sha, true),
            (format!("CODECOV_TOKEN={uuid}"), uuid, false),
            (format!("authToken := \"{sha}\""), sha, false),
            ("identity: x1234567".to_string(), "x1234567", false),
        ] {
            let b = line.as_bytes();
            let start = memchr::memmem::find(b, value.as_bytes()).unwrap_or(0);
            let end = start + value.len();
            assert_eq!(f.labelled_identifier(b, start, end), want, "{line}");
        }
        assert!(f.labelled_public(b"publicToken = \"x\"", 15));
        assert!(f.labelled_public(b"csrf-token=x", 11));
        assert!(!f.labelled_public(b"publishToken = \"x\"", 16));
        let java = b"public static final String JIRA_PASSWORD = \"x\"";
        assert!(!f.labelled_public(java, java.len() - 2));
        assert!(f.generic_noise(b"request_id=7f3a9c0e11d2b4a5", 0));
        assert!(f.generic_noise(b"traceId=7f3a9c0e11d2b4a5", 0));
        assert!(f.generic_noise(b"holder=api-7d9f8b6c5d-x2k9p_3c9e4b1a", 0));
        // split so the repository's own scan does not see a labelled token
        assert!(!f.generic_noise(concat!("key=", "7f3a9c0e", "11d2b4a5").as_bytes(), 0));
        assert!(!f.generic_noise(b"YWJjZGVmZ2hpamtsbW5vcA==", 0));
        assert!(f.generic_noise(b"short", 0));
        assert!(!f.generic_noise(b"s3cr3t", 4));
        assert!(f.generic_noise(b"http://localhost:8080", 0));
        assert!(!f.generic_noise(b"hN7s!qP2zK9wLm4x", 0));
    }

    #[test]
    fn certificates_and_public_keys() {
        let pem = b"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\nkey=abc\n";
        let inside = memchr::memmem::find(pem, b"MIIB").unwrap_or(0);
        assert!(in_public_material(pem, inside, inside + 8));
        let after = memchr::memmem::find(pem, b"abc").unwrap_or(0);
        assert!(!in_public_material(pem, after, after + 3));
        let private = b"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n";
        let p = memchr::memmem::find(private, b"MIIE").unwrap_or(0);
        assert!(!in_public_material(private, p, p + 8));
        let pubkey = b"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYI\n";
        let k = memchr::memmem::find(pubkey, b"MFkw").unwrap_or(0);
        assert!(in_public_material(pubkey, k, k + 8));
    }

    #[test]
    fn ssh_public_keys_and_data_uris() {
        let ssh = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq user@host";
        let s = memchr::memmem::find(ssh, b"NzaC").unwrap_or(0);
        assert!(in_public_material(ssh, s, s + 6));
        let uri = b"src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA\"";
        let u = memchr::memmem::find(uri, b"KGgo").unwrap_or(0);
        assert!(in_public_material(uri, u, u + 8));
        let plain = b"token=iVBORw0KGgoAAAANSUhEUgAA";
        let q = memchr::memmem::find(plain, b"KGgo").unwrap_or(0);
        assert!(!in_public_material(plain, q, q + 8));
    }
}
