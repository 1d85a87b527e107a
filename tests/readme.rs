//! The README against what the binary does: the pod-security check table
//! is the catalogue's, and its code fences are closed.

use credsweep::detectors::k8s::checks::CHECKS;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
}

/// Issue 21: the README's "check id" table under "Kubernetes pod security"
/// was empty. Its rows are the catalogue's, in the catalogue's order.
#[test]
fn readme_check_table_is_the_catalogue() {
    let text = readme();
    let header = "| check id | level | severity | what |";
    let start = text.find(header).expect("the check-id table") + header.len();
    let rows: Vec<&str> = text[start..]
        .lines()
        .skip(2) // the rest of the header line, and `| --- |…`
        .take_while(|l| l.starts_with('|'))
        .collect();
    let expected: Vec<String> = CHECKS
        .iter()
        .map(|c| {
            format!(
                "| `{}` | {} | {} | {} |",
                c.id,
                c.level.as_str(),
                c.level.severity(),
                c.title
            )
        })
        .collect();
    assert_eq!(
        rows,
        expected,
        "README check-id table differs from the catalogue; it should read:\n{}",
        expected.join("\n")
    );
}

/// Issue 21: an unclosed ```` ```console ```` fence made GitHub render the
/// rest of the README as code. Fences come in pairs, and a closing fence
/// carries no language.
#[test]
fn readme_code_fences_are_closed() {
    let text = readme();
    let fences: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("```"))
        .map(|(i, l)| (i + 1, l.trim()))
        .collect();
    assert!(
        fences.len().is_multiple_of(2),
        "odd number of ``` fences ({}) in README.md",
        fences.len()
    );
    for pair in fences.chunks(2) {
        assert_eq!(
            pair[1].1, "```",
            "README.md:{}: the fence opened at line {} is not closed before another opens",
            pair[1].0, pair[0].0
        );
    }
}
