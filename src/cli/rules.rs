//! `credsweep rules list|test|explain`.

use super::settings::load_rules;
use super::{Outcome, RuleArgs, RulesCommand};
use crate::detectors::Detector;
use crate::reporters::Format;
use crate::rules::{check, explain};
use std::io::Write;

pub fn run(cmd: RulesCommand) -> anyhow::Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cmd {
        RulesCommand::List { rules, format } => {
            let set = load_rules(&rules)?;
            match format {
                Format::Json | Format::Jsonl | Format::Sarif => explain::list_json(&set, &mut out)?,
                Format::Text => explain::list_text(&set, &mut out)?,
            }
            Ok(Outcome::Clean)
        }
        RulesCommand::Explain { id, rules } => {
            let set = load_rules(&rules)?;
            if set.find(&id).is_none()
                && let Some(check) = crate::detectors::k8s::checks::find(&id)
            {
                crate::detectors::k8s::checks::explain(check, &mut out)?;
                return Ok(Outcome::Clean);
            }
            let rule = set.find(&id).ok_or_else(|| {
                anyhow::anyhow!("no rule with id '{id}' (see `credsweep rules list`)")
            })?;
            explain::explain(rule, &mut out)?;
            Ok(Outcome::Clean)
        }
        RulesCommand::Test { dir, rules } => {
            let mut args: RuleArgs = rules;
            if let Some(d) = dir {
                args.no_builtin_rules = true;
                args.rules.insert(0, d);
            }
            let detector = Detector::new(load_rules(&args)?);
            let (checked, problems) = check::check_rules(&detector);
            for p in &problems {
                writeln!(out, "FAIL {p}")?;
            }
            writeln!(
                out,
                "{} rules, {} examples checked: {} passed, {} failed",
                detector.rules.rules.len(),
                checked,
                checked.saturating_sub(problems.len()),
                problems.len()
            )?;
            Ok(if problems.is_empty() {
                Outcome::Clean
            } else {
                Outcome::Found(1)
            })
        }
    }
}
