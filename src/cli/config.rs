//! `credsweep config init|check`: write a starter `.credsweep.yaml`, or
//! check one. What the keys mean lives in [`crate::config`].

use super::{ConfigCommand, Outcome};
use crate::config;
use anyhow::Context;
use std::io::Write;
use std::path::Path;

pub fn run(cmd: ConfigCommand) -> anyhow::Result<Outcome> {
    match cmd {
        ConfigCommand::Init { path } => init(&path),
        ConfigCommand::Check { path } => {
            let path = match path {
                Some(p) => p,
                None => {
                    let cwd = crate::paths::current_dir()?;
                    let found = config::discover(&cwd, None).with_context(|| {
                        format!(
                            "no {} here or in a folder above, up to the repository root \
                             (credsweep config init writes one)",
                            config::FILE_NAME
                        )
                    })?;
                    crate::paths::for_humans(&found, &cwd)
                }
            };
            config::load(&path)?;
            eprintln!("credsweep: {}: ok", path.display());
            Ok(Outcome::Clean)
        }
    }
}

/// Writes the starter file; `create_new` makes the no-overwrite promise hold
/// even against a file created meanwhile.
fn init(path: &Path) -> anyhow::Result<Outcome> {
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            anyhow::bail!(
                "{} already exists; not overwriting it (edit it, or remove it first)",
                path.display()
            )
        }
        Err(e) => return Err(e).with_context(|| format!("creating {}", path.display())),
    };
    file.write_all(config::STARTER.as_bytes())
        .and_then(|_| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!("credsweep: wrote {}", path.display());
    Ok(Outcome::Clean)
}
