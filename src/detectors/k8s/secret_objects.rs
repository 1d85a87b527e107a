//! Secrets stored in Kubernetes objects: `Secret` `data` (base64) and
//! `stringData`, `ConfigMap` `data` and `binaryData` (base64).
//!
//! Each value is run through the ordinary secret rules as the text
//! `"<key>: <value>"`, so keyword-driven generic rules see the key name too.
//! Base64 values are decoded first; that is the case the plain-text scan of
//! the file cannot see on its own. A value another pass already reported
//! (the plain scan, or the generic base64 pass in
//! [`crate::detectors::encoded`]: same rule, path and secret, hence same
//! fingerprint) is not reported twice, and that pass's finding is left as
//! it is. What this pass adds: the key as context for keyword rules, values
//! too short or split over lines for the generic pass, and the object and
//! key named in the message.
//! The finding points at the value's line and column; for a decoded value
//! it spans the whole base64 scalar. Matching itself is left to
//! [`crate::detectors::secrets`], masking to [`crate::mask`].

use super::objects::Object;
use super::yaml::{NodeId, Tree};
use crate::detectors::secrets::{Scratch, SecretMatch, find_secrets};
use crate::filters::inline;
use crate::finding::{Finding, FindingKind, Location, secret_fingerprint, secret_hash};
use crate::rules::RuleSet;
use crate::sources::Blob;
use crate::stats::Stats;
use base64::Engine;

/// What the secret pass needs from the detector.
pub struct SecretPass<'a> {
    pub rules: &'a RuleSet,
    pub show_secrets: bool,
    /// Fingerprints of secret findings already made for this blob.
    pub already: &'a [crate::finding::Fingerprint],
    pub stats: &'a Stats,
}

/// Secret findings for every Secret/ConfigMap value in `objects`.
pub fn secret_findings(
    blob: &Blob,
    tree: &Tree,
    objects: &[Object],
    pass: &SecretPass,
    scratch: &mut Scratch,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut matches = Vec::new();
    for obj in objects {
        let fields: &[(&str, bool)] = match obj.kind.as_str() {
            "Secret" => &[("data", true), ("stringData", false)],
            "ConfigMap" => &[("data", false), ("binaryData", true)],
            _ => continue,
        };
        for &(field, encoded) in fields {
            let Some(map) = tree.get(obj.node, field) else {
                continue;
            };
            for &(k, v) in tree.pairs(map) {
                let (Some(key), Some(value)) = (tree.str(k), tree.str(v)) else {
                    continue;
                };
                let decoded;
                let bytes: &[u8] = if encoded {
                    let compact: Vec<u8> =
                        value.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
                    match base64::engine::general_purpose::STANDARD.decode(&compact) {
                        Ok(d) => {
                            decoded = d;
                            &decoded
                        }
                        Err(_) => continue,
                    }
                } else {
                    value.as_bytes()
                };
                let mut text = Vec::with_capacity(key.len() + 2 + bytes.len());
                text.extend_from_slice(key.as_bytes());
                text.extend_from_slice(b": ");
                let prefix = text.len();
                text.extend_from_slice(bytes);
                matches.clear();
                find_secrets(pass.rules, &text, scratch, &mut matches);
                for m in matches.iter().filter(|m| m.start >= prefix) {
                    let place = Place {
                        object: &obj.display,
                        field,
                        key,
                        encoded,
                        key_node: k,
                        value: v,
                        offset_in_value: m.start - prefix,
                    };
                    if let Some(f) = make(blob, tree, pass, &text, m, &place) {
                        out.push(f);
                    }
                }
            }
        }
    }
    out
}

/// Where a match sits, for messages and locations.
struct Place<'a> {
    object: &'a str,
    field: &'a str,
    key: &'a str,
    encoded: bool,
    key_node: NodeId,
    value: NodeId,
    /// Byte offset of the secret in the (decoded) value.
    offset_in_value: usize,
}

fn make(
    blob: &Blob,
    tree: &Tree,
    pass: &SecretPass,
    text: &[u8],
    m: &SecretMatch,
    place: &Place,
) -> Option<Finding> {
    let rule = &pass.rules.rules[m.rule];
    let secret = &text[m.start..m.end];
    let fingerprint = secret_fingerprint(&rule.id, blob.path, secret);
    if pass.already.contains(&fingerprint) {
        return None;
    }
    // a value on the key's line is pointed at; a block scalar (`|`, `>`)
    // starts on the next line, so its key is
    let key = tree.node(place.key_node);
    let value = tree.node(place.value);
    let node = if value.line == key.line { value } else { key };
    let line = node.line + blob.first_line - 1;
    let line_start = (node.offset + 1).saturating_sub(node.column);
    if inline::suppressed(blob.bytes, line_start, &rule.id, &|id| {
        pass.rules.find(id).is_some()
    }) {
        Stats::add(&pass.stats.suppressed_inline, 1);
        return None;
    }
    // a plain one-line scalar is in the file as is: point at the secret
    // itself; otherwise at the (quoted, block or base64) scalar
    let single_line = value.line == key.line
        && tree
            .plain_str(place.value)
            .is_some_and(|text| !text.contains('\n'));
    let (column, end_column) = if !place.encoded && single_line {
        let c = value.column + place.offset_in_value;
        (c, c + secret.len())
    } else if value.line != key.line {
        (key.column, key.column + place.key.len())
    } else {
        let src = &blob.bytes[node.offset.min(blob.bytes.len())..];
        let len = memchr::memchr(b'\n', src).unwrap_or(src.len());
        (node.column, node.column + len.max(1))
    };
    let raw = String::from_utf8_lossy(secret).into_owned();
    let how = if place.encoded {
        ", base64-decoded"
    } else {
        ""
    };
    let mut message = format!(
        "{} (in {} {}.{}{how})",
        rule.name, place.object, place.field, place.key
    );
    if let Some(note) = &m.validation.note {
        message.push_str(&format!(" ({note})"));
    }
    Some(Finding {
        rule_id: rule.id.clone(),
        kind: FindingKind::Secret,
        severity: m.severity,
        confidence: m.validation.confidence(rule.confidence()),
        message: message.into(),
        location: Location {
            path: blob.path.into(),
            line,
            column,
            end_line: line,
            end_column,
            utf16_columns: None,
        },
        secret: Some(Box::new(m.info(&raw, pass.show_secrets))),
        pod_security: None,
        commit: blob.commit.cloned().map(Box::new),
        fingerprint,
        secret_hash: Some(secret_hash(secret)),
        raw_secret: Some(raw),
    })
}
