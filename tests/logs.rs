//! Logs: streaming (chunk boundaries, CRLF, invalid UTF-8, stdin, large
//! files), gzip (rotated names, truncated archives), the log-shaped rules and
//! `credsweep redact` (stdout, `--in-place`, gzip written back).
//!
//! Chunk boundaries are moved with the hidden `CREDSWEEP_CHUNK_SIZE`
//! variable, so small inputs cross many of them.

use crate::common::{Sandbox, fake};
use std::io::Write;

/// (rule id, path, line, column, end column) of a finding.
type Hit = (String, String, u64, u64, u64);

/// The [`Hit`]s of a jsonl report, in report order.
fn hits(stdout: &[u8]) -> Vec<Hit> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("jsonl line");
            (
                v["rule_id"].as_str().unwrap_or_default().to_string(),
                v["location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                v["location"]["line"].as_u64().unwrap_or(0),
                v["location"]["column"].as_u64().unwrap_or(0),
                v["location"]["end_column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(data)
        .read_to_end(&mut out)
        .expect("gunzip");
    out
}

/// A log of `lines` filler lines (CRLF when `crlf`) with GitHub tokens
/// planted on the given lines at column 7; returns (text, expected hits).
fn planted_log(lines: usize, at: &[usize], crlf: bool, path: &str) -> (Vec<u8>, Vec<Hit>) {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut text = Vec::new();
    let mut want = Vec::new();
    for n in 1..=lines {
        if let Some(i) = at.iter().position(|&a| a == n) {
            text.extend_from_slice(
                format!("found {} ok{eol}", fake::github_pat(i as u64)).as_bytes(),
            );
            want.push(("github-pat".to_string(), path.to_string(), n as u64, 7, 47));
        } else {
            text.extend_from_slice(
                format!(
                    "2026-11-26T03:00:{:02} INFO worker {n} handled request{eol}",
                    n % 60
                )
                .as_bytes(),
            );
        }
    }
    (text, want)
}

#[test]
fn secret_across_chunk_boundaries_is_found_once_for_every_chunk_size() {
    let sb = Sandbox::new();
    // ~58 bytes a line: secrets every few KiB, so every chunk size puts some
    // of them across a boundary
    let at: Vec<usize> = (1..40).map(|i| i * 23 + i % 7).collect();
    let (text, want) = planted_log(1000, &at, false, "-");
    for chunk in ["97", "333", "1000", "4093", "65536"] {
        let out = sb
            .cmd(["scan", "--format", "jsonl", "-"])
            .env("CREDSWEEP_CHUNK_SIZE", chunk)
            .write_stdin(text.clone())
            .assert()
            .code(1);
        assert_eq!(hits(&out.get_output().stdout), want, "chunk size {chunk}");
    }
}

#[test]
fn crlf_log_gives_exact_lines_and_columns() {
    let sb = Sandbox::new();
    let (text, want) = planted_log(400, &[1, 150, 399], true, "ci.log");
    sb.bytes("ci.log", &text);
    for chunk in ["100", "1048576"] {
        let out = sb
            .cmd(["scan", "--format", "jsonl", "ci.log"])
            .env("CREDSWEEP_CHUNK_SIZE", chunk)
            .assert()
            .code(1);
        assert_eq!(hits(&out.get_output().stdout), want, "chunk size {chunk}");
    }
}

#[test]
fn invalid_utf8_around_a_secret_keeps_byte_columns() {
    let sb = Sandbox::new();
    let mut text = b"\xff\xfe\x80 binary-ish prefix\n".to_vec();
    text.extend_from_slice(b"\xc3\x28 k=");
    text.extend_from_slice(fake::github_pat(3).as_bytes());
    text.extend_from_slice(b" \xf0\x28\x8c\x28\n");
    sb.bytes("odd.log", &text);
    let out = sb
        .cmd(["scan", "--format", "jsonl", "-"])
        .write_stdin(text.clone())
        .assert()
        .code(1);
    assert_eq!(
        hits(&out.get_output().stdout),
        vec![("github-pat".into(), "-".into(), 2, 6, 46)]
    );
    // redact keeps every other byte, invalid sequences included
    let out = sb.cmd(["redact", "odd.log"]).assert().code(1);
    let mut want =
        b"\xff\xfe\x80 binary-ish prefix\n\xc3\x28 k=[REDACTED:github-pat] \xf0\x28\x8c\x28\n"
            .to_vec();
    assert_eq!(out.get_output().stdout, want);
    want.clear();
}

#[test]
fn stdin_reports_dash_and_exit_codes() {
    let sb = Sandbox::new();
    let line = format!("pod started; credential {} loaded\n", fake::github_pat(9));
    let out = sb
        .cmd(["scan", "--format", "jsonl", "-"])
        .write_stdin(line)
        .assert()
        .code(1);
    assert_eq!(
        hits(&out.get_output().stdout),
        vec![("github-pat".into(), "-".into(), 1, 25, 65)]
    );
    sb.cmd(["scan", "--format", "jsonl", "-"])
        .write_stdin("all quiet\n")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn large_file_is_streamed_with_exact_line_numbers() {
    let sb = Sandbox::new();
    // just over the 8 MiB streaming threshold, secrets at both ends
    let filler = "2026-11-26T03:00:00 INFO request handled in 3 ms status=200 path=/healthz\n";
    let n = 9 * 1024 * 1024 / filler.len() + 1;
    let mut text = String::with_capacity(n * filler.len() + 200);
    text.push_str(&format!("a={}\n", fake::github_pat(1)));
    for _ in 0..n {
        text.push_str(filler);
    }
    text.push_str(&format!("b={}\n", fake::github_pat(2)));
    sb.file("big.log", &text);
    let out = sb
        .cmd(["scan", "--format", "json", "big.log"])
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let lines: Vec<u64> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["location"]["line"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(lines, vec![1, n as u64 + 2]);
    assert_eq!(v["stats"]["bytes"], text.len() as u64);
    assert_eq!(v["stats"]["files"], 1);
}

#[test]
fn gzip_logs_and_rotated_names_are_read_decompressed() {
    let sb = Sandbox::new();
    let (text, _) = planted_log(300, &[5, 250], false, "");
    sb.bytes("logs/app.log.3.gz", &gzip(&text));
    // two members concatenated, as `cat a.gz b.gz` makes
    let mut two = gzip(b"first member\n");
    two.extend(gzip(format!("second {}\n", fake::github_pat(7)).as_bytes()));
    sb.bytes("logs/joined.gz", &two);
    let out = sb
        .cmd(["scan", "--format", "jsonl", "logs"])
        .env("CREDSWEEP_CHUNK_SIZE", "500")
        .assert()
        .code(1);
    assert_eq!(
        hits(&out.get_output().stdout),
        vec![
            ("github-pat".into(), "logs/app.log.3.gz".into(), 5, 7, 47),
            ("github-pat".into(), "logs/app.log.3.gz".into(), 250, 7, 47),
            ("github-pat".into(), "logs/joined.gz".into(), 2, 8, 48),
        ]
    );
}

#[test]
fn truncated_gzip_is_a_warning_and_keeps_earlier_findings() {
    let sb = Sandbox::new();
    // random filler compresses poorly, so cutting the archive in half
    // keeps the first secret and loses the second
    let mut text = format!("early {}\n", fake::github_pat(1));
    for i in 0..2000 {
        text.push_str(&format!("{} {i}\n", fake::base62(40, i)));
    }
    text.push_str(&format!("late {}\n", fake::github_pat(2)));
    let gz = gzip(text.as_bytes());
    sb.bytes("old/app.log.1.gz", &gz[..gz.len() / 2]);
    sb.file("old/other.log", &format!("x={}\n", fake::github_pat(3)));
    let out = sb
        .cmd(["scan", "--format", "jsonl", "old"])
        .assert()
        .code(1);
    assert_eq!(
        hits(&out.get_output().stdout),
        vec![
            ("github-pat".into(), "old/app.log.1.gz".into(), 1, 7, 47),
            ("github-pat".into(), "old/other.log".into(), 1, 3, 43),
        ]
    );
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("credsweep: warning: old/app.log.1.gz: read stopped after"),
        "{stderr}"
    );
    assert!(stderr.contains("truncated input"), "{stderr}");
    // not a gzip at all
    sb.file("bad/notes.gz", "plain text, not gzip\n");
    let out = sb.cmd(["scan", "bad"]).assert().code(0);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("credsweep: warning: bad/notes.gz: "),
        "{stderr}"
    );
}

#[test]
fn inline_allow_next_line_survives_chunk_boundaries() {
    let sb = Sandbox::new();
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!("line {i} of filler text for the log\n"));
        if i % 50 == 25 {
            text.push_str("# credsweep:allow-next-line\n");
            text.push_str(&format!("t={}\n", fake::github_pat(i)));
        }
    }
    for chunk in ["211", "777", "1048576"] {
        sb.cmd(["scan", "--format", "jsonl", "-"])
            .env("CREDSWEEP_CHUNK_SIZE", chunk)
            .write_stdin(text.clone())
            .assert()
            .code(0)
            .stdout("");
    }
}

/// One example line per log rule, with its expected (rule, line, column).
fn log_rule_lines() -> (String, Vec<(&'static str, u64, u64)>) {
    let alnum = |n, s| fake::base62(n, s);
    let basic = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("deploy:{}", alnum(18, 2)))
    };
    let lines = [
        (
            format!("> Authorization: Bearer {}", alnum(40, 1)),
            "http-bearer-token",
            25,
        ),
        (
            format!("Authorization: Basic {basic}"),
            "http-basic-auth",
            22,
        ),
        (
            format!("< X-Api-Key: {}", alnum(32, 3)),
            "http-api-key-header",
            14,
        ),
        (
            format!("fetch https://ci:{}@pkgs.example.org/x", alnum(20, 4)),
            "url-credentials",
            18,
        ),
        (
            format!("GET /login?user=ci&password={} HTTP/1.1", alnum(14, 5)),
            "url-query-secret",
            29,
        ),
        (
            format!("{{\"level\":\"info\",\"api_key\":\"{}\"}}", alnum(32, 6)),
            "json-log-secret",
            28,
        ),
        (
            format!("< Set-Cookie: sessionid={}; Path=/; HttpOnly", alnum(32, 7)),
            "set-cookie-session",
            25,
        ),
    ];
    let mut text = String::new();
    let mut want = Vec::new();
    for (i, (line, id, col)) in lines.into_iter().enumerate() {
        text.push_str(&line);
        text.push_str("\r\n");
        want.push((id, i as u64 + 1, col));
    }
    (text, want)
}

#[test]
fn log_rules_find_headers_urls_json_and_cookies() {
    let sb = Sandbox::new();
    let (text, want) = log_rule_lines();
    let out = sb
        .cmd(["scan", "--format", "jsonl", "-"])
        .write_stdin(text)
        .assert()
        .code(1);
    // generic assignment rules may report the same value too; this test is
    // about the log rules
    let got: Vec<(String, u64, u64)> = hits(&out.get_output().stdout)
        .into_iter()
        .filter(|(id, ..)| want.iter().any(|(w, ..)| w == id))
        .map(|(id, _, line, col, _)| (id, line, col))
        .collect();
    let want: Vec<(String, u64, u64)> = want
        .into_iter()
        .map(|(id, l, c)| (id.to_string(), l, c))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn masked_values_in_logs_are_not_findings() {
    let sb = Sandbox::new();
    let text = "Authorization: Bearer ****************\n\
                Authorization: Basic [REDACTED]\n\
                X-Api-Key: <hidden>\n\
                GET /login?password=******** HTTP/1.1\n\
                {\"password\":\"[REDACTED]\",\"api_key\":\"<hidden>\",\"token\":\"****************\"}\n\
                Set-Cookie: sessionid=[REDACTED]; Path=/\n\
                https://user:****@example.org/\n";
    sb.cmd(["scan", "--format", "jsonl", "-"])
        .write_stdin(text)
        .assert()
        .code(0)
        .stdout("");
}

/// Replaces every `[REDACTED:<id>]` with `[REDACTED]`, so expectations do not
/// depend on which of two overlapping rules names the mask.
fn normalise_masks(data: &[u8]) -> Vec<u8> {
    let re = regex::bytes::Regex::new(r"\[REDACTED:[a-z0-9.-]+\]").expect("regex");
    re.replace_all(data, &b"[REDACTED]"[..]).into_owned()
}

#[test]
fn redact_changes_only_the_secrets_property() {
    let sb = Sandbox::new();
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    // filler that no rule can match: no keyword punctuation, random bytes
    // including CR, LF, NUL and invalid UTF-8
    let filler_bytes: Vec<u8> = b"abcdefghijklmnopqrstuvwxyz       \r\n\n\t"
        .iter()
        .copied()
        .chain([0u8, 0x80, 0xff, 0xc3, 0xfe])
        .collect();
    for round in 0..12u64 {
        let mut input = Vec::new();
        let mut want = Vec::new();
        for piece in 0..rng.usize(5..60) {
            let seed = round * 1000 + piece as u64;
            let (secret_line, masked): (String, String) = match rng.usize(0..6) {
                0 => (
                    format!("\nGITHUB_TOKEN={}\n", fake::github_pat(seed)),
                    "\nGITHUB_TOKEN=[REDACTED]\n".into(),
                ),
                1 => (
                    format!("\nAuthorization: Bearer {}\r\n", fake::base62(40, seed)),
                    "\nAuthorization: Bearer [REDACTED]\r\n".into(),
                ),
                2 => (
                    format!(
                        "\n{{\"msg\":\"x\",\"password\":\"{}\"}}\n",
                        fake::base62(20, seed)
                    ),
                    "\n{\"msg\":\"x\",\"password\":\"[REDACTED]\"}\n".into(),
                ),
                _ => (String::new(), String::new()),
            };
            let n = rng.usize(0..3000);
            let filler: Vec<u8> = (0..n)
                .map(|_| filler_bytes[rng.usize(..filler_bytes.len())])
                .collect();
            input.extend_from_slice(&filler);
            want.extend_from_slice(&filler);
            input.extend_from_slice(secret_line.as_bytes());
            want.extend_from_slice(masked.as_bytes());
        }
        let chunk = rng.usize(64..5000).to_string();
        let out = sb
            .cmd(["redact"])
            .env("CREDSWEEP_CHUNK_SIZE", &chunk)
            .write_stdin(input.clone())
            .assert();
        let out = out.get_output();
        let code = out.status.code();
        assert_eq!(
            code,
            Some(if want == input { 0 } else { 1 }),
            "round {round}"
        );
        assert_eq!(
            normalise_masks(&out.stdout),
            want,
            "round {round}, chunk size {chunk}"
        );
        // masking is idempotent: a redacted log has nothing left to redact
        sb.cmd(["redact"])
            .write_stdin(out.stdout.clone())
            .assert()
            .code(0)
            .stdout(out.stdout.clone());
    }
}

#[test]
fn redact_reads_files_in_order_and_reports_errors() {
    let sb = Sandbox::new();
    sb.file("a.log", "one\n");
    sb.file("b.log", &format!("two {}\n", fake::github_pat(4)));
    sb.cmd(["redact", "a.log", "b.log"])
        .assert()
        .code(1)
        .stdout("one\ntwo [REDACTED:github-pat]\n");
    sb.cmd(["redact", "a.log"]).assert().code(0).stdout("one\n");
    let out = sb.cmd(["redact", "missing.log", "a.log"]).assert().code(2);
    assert_eq!(out.get_output().stdout, b"one\n");
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("credsweep: warning: missing.log: "),
        "{stderr}"
    );
    sb.cmd(["redact", "--in-place"]).assert().code(2);
}

#[test]
fn redact_in_place_rewrites_atomically_and_keeps_permissions() {
    let sb = Sandbox::new();
    let token = fake::github_pat(8);
    let plain = sb.file("app.log", &format!("a\r\nt={token}\r\nb\r\n"));
    let gz = sb.bytes(
        "app.log.2.gz",
        &gzip(format!("Authorization: Bearer {}\n", fake::base62(40, 1)).as_bytes()),
    );
    let clean = sb.file("clean.log", "nothing here\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let clean_mtime = std::fs::metadata(&clean).and_then(|m| m.modified()).ok();
    sb.cmd([
        "redact",
        "--in-place",
        "app.log",
        "app.log.2.gz",
        "clean.log",
    ])
    .assert()
    .code(1)
    .stdout("");
    assert_eq!(
        std::fs::read(&plain).expect("read"),
        b"a\r\nt=[REDACTED:github-pat]\r\nb\r\n"
    );
    assert_eq!(
        gunzip(&std::fs::read(&gz).expect("read")),
        b"Authorization: Bearer [REDACTED:http-bearer-token]\n"
    );
    assert_eq!(std::fs::read(&clean).expect("read"), b"nothing here\n");
    assert_eq!(
        std::fs::metadata(&clean).and_then(|m| m.modified()).ok(),
        clean_mtime
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&plain)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    let names: Vec<String> = std::fs::read_dir(sb.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "temporary files left behind: {names:?}");
}

#[test]
fn redact_in_place_keeps_the_original_when_it_fails() {
    let sb = Sandbox::new();
    // a read error halfway (truncated gzip): the original stays as it was
    let mut text = format!("early {}\n", fake::github_pat(1));
    for i in 0..2000 {
        text.push_str(&format!("{} {i}\n", fake::base62(40, i)));
    }
    let gz = gzip(text.as_bytes());
    let cut = &gz[..gz.len() / 2];
    let path = sb.bytes("logs/app.log.1.gz", cut);
    let out = sb
        .cmd(["redact", "--in-place", "logs/app.log.1.gz"])
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&path).expect("read"), cut);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("logs/app.log.1.gz: reading: truncated input; left unchanged"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(sb.path().join("logs"))
            .expect("ls")
            .count(),
        1
    );

    // a folder where no temporary file can be created (skipped when running
    // as root, which may write anywhere)
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let original = format!("t={}\n", fake::github_pat(2));
        let file = sb.file("ro/app.log", &original);
        let dir = sb.path().join("ro");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        let root = std::fs::write(dir.join("probe"), b"").is_ok();
        if !root {
            let out = sb
                .cmd(["redact", "--in-place", "ro/app.log"])
                .assert()
                .code(2);
            let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
            assert!(stderr.contains("creating a temporary file"), "{stderr}");
            assert_eq!(std::fs::read_to_string(&file).expect("read"), original);
        }
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

#[test]
fn line_longer_than_a_chunk_keeps_exact_columns() {
    let sb = Sandbox::new();
    // one 60 KB line: chunks (and the overlap) must cut it mid-line
    let mut line = String::from("{\"msg\":\"");
    for i in 0..1500 {
        line.push_str(&format!("{} ", fake::base62(39, i)).to_lowercase());
    }
    let col = line.len() + 1 + 3;
    line.push_str(&format!("k=\"{}\"}}\n", fake::github_pat(5)));
    let text = format!("first\n{line}last\n");
    for chunk in ["700", "5000", "1048576"] {
        let out = sb
            .cmd(["scan", "--format", "jsonl", "-"])
            .env("CREDSWEEP_CHUNK_SIZE", chunk)
            .write_stdin(text.clone())
            .assert()
            .code(1);
        assert_eq!(
            hits(&out.get_output().stdout),
            vec![(
                "github-pat".into(),
                "-".into(),
                2,
                col as u64,
                col as u64 + 40
            )],
            "chunk size {chunk}"
        );
    }
}

#[test]
fn streamed_binary_file_is_skipped() {
    let sb = Sandbox::new();
    let mut data = vec![b'a'; 9 * 1024 * 1024];
    data[100] = 0;
    data.extend_from_slice(format!("\nt={}\n", fake::github_pat(1)).as_bytes());
    sb.bytes("core.dump", &data);
    let out = sb.cmd(["scan", "--format", "json", "."]).assert().code(0);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(v["stats"]["skipped"], 1);
    assert_eq!(v["findings"], serde_json::json!([]));
}

/// `redact` uses the same config as `scan`: an allowlisted value stays, a
/// disabled rule masks nothing, everything else is masked.
#[test]
fn redact_honours_the_config_allowlist() {
    let sb = Sandbox::new();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/rules/demo");
    sb.file(".credsweep.yaml", "allow:\n  values: [\"^demo_a\"]\n");
    let input = "keep demo_a1b2c3d4e5f6g7h8i9j0\nmask demo_z9y8x7w6v5u4t3s2r1q0\n";
    let out = sb
        .cmd(["redact", "--no-builtin-rules", "--rules", demo])
        .write_stdin(input)
        .assert()
        .code(1);
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "keep demo_a1b2c3d4e5f6g7h8i9j0\nmask [REDACTED:demo-token]\n"
    );
    sb.file(".credsweep.yaml", "rules:\n  disable: [demo-token]\n");
    let out = sb
        .cmd(["redact", "--no-builtin-rules", "--rules", demo])
        .write_stdin(input)
        .assert()
        .code(0);
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout), input);
    sb.cmd([
        "redact",
        "--no-config",
        "--no-builtin-rules",
        "--rules",
        demo,
    ])
    .write_stdin(input)
    .assert()
    .code(1);
}
