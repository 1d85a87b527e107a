//! One shared copy of the strings many findings repeat.
//!
//! A manifest-heavy tree yields hundreds of thousands of pod-security
//! findings, kept until the scan ends so they can be sorted. Most of their
//! text repeats: the message of a check (`service account token mounted:
//! …; fix: …`), field paths (`spec.template.spec.containers[0].…`), the
//! level, the object shared by all of an object's findings. A copy per
//! finding was about a third of such a scan's peak memory, and the page
//! faults that memory costs showed up in its run time.

use std::collections::HashSet;
use std::sync::Arc;

/// How many strings an [`Interner`] keeps at most before it starts over:
/// where every string differs (container names in messages, say) it would
/// only add memory.
const KEPT: usize = 8192;

/// A worker's set of shared strings. Each worker has its own, so no lock
/// is taken; two workers may each hold a copy of one string.
#[derive(Debug, Default)]
pub struct Interner {
    strings: HashSet<Arc<str>>,
}

impl Interner {
    /// A shared copy of `s`: the one made before, or a new one.
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(shared) = self.strings.get(s) {
            return shared.clone();
        }
        if self.strings.len() >= KEPT {
            self.strings.clear();
        }
        let shared: Arc<str> = Arc::from(s);
        self.strings.insert(shared.clone());
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_share_one_copy_until_the_set_is_full() {
        let mut strings = Interner::default();
        let a = strings.get("spec.containers[0].securityContext");
        let b = strings.get(&String::from("spec.containers[0].securityContext"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_ne!(&*strings.get("other"), &*a);
        for i in 0..KEPT {
            strings.get(&i.to_string());
        }
        // started over: a new copy, equal but not the same
        let c = strings.get("spec.containers[0].securityContext");
        assert_eq!(c, a);
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(strings.strings.len() <= KEPT);
    }
}
