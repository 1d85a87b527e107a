//! Rules: YAML files as written ([`syntax`]), loaded and layered ([`load`]),
//! compiled into a keyword-prefiltered matcher ([`compile`]); plus the
//! fake-token templates used by examples ([`template`]), the `rules test`
//! checker ([`check`]) and `rules list`/`explain` ([`explain`]).

pub mod check;
pub mod compile;
pub mod explain;
pub mod follow;
pub mod keywords;
pub mod load;
pub mod syntax;
pub mod template;

pub use compile::{CompiledRule, RuleSet};
pub use keywords::{Hit, HitScratch, KeywordScanner};
