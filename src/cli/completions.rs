//! `credsweep completions SHELL` and `credsweep man`, generated from the clap
//! definitions so they never drift from `--help`.

use super::{Cli, Outcome};
use clap::CommandFactory;

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "credsweep", &mut std::io::stdout());
    Ok(Outcome::Clean)
}

pub fn man() -> anyhow::Result<Outcome> {
    let cmd = Cli::command();
    clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
    Ok(Outcome::Clean)
}
