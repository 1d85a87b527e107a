//! One shared copy of the strings many findings repeat.
//!
//! A manifest-heavy tree yields hundreds of thousands of pod-security
//! findings, kept until the scan ends so they can be sorted. Most of their
//! text repeats: the message of a check (`service account token mounted:
//! …; fix: …`), field paths (`spec.template.spec.containers[0].…`), the
//! level, the object shared by all of an object's findings. A copy per
//! finding was about a fifth of such a scan's peak memory (153 MB before,
//! 124 MB after, on the k8s bench corpus); run time is about the same, as
//! the lookups cost what the page faults did.

use std::collections::HashSet;
use std::sync::Arc;

/// How many strings an [`Interner`] holds at most before it starts over.
/// The strings are the findings' own (shared), so what the set adds is its
/// table, about 1.5 MB when full; the cap bounds that where nothing
/// repeats. The k8s bench corpus has about 35,000 distinct messages,
/// objects and field paths over 127,000 findings: a cap of 8,192 made
/// workers start over so often that it kept 10 MB more.
const KEPT: usize = 1 << 16;

/// A worker's set of shared strings. Each worker has its own, so no lock
/// is taken; two workers may each hold a copy of one string. Hashed with
/// `foldhash` (hashbrown's own default), seeded per process: the keys come
/// from scanned files, so the seed keeps crafted collisions out, and the
/// standard SipHash was most of the interner's cost (five lookups per
/// pod-security finding).
#[derive(Debug, Default)]
pub struct Interner {
    strings: HashSet<Arc<str>, foldhash::fast::RandomState>,
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

/// The last shared string handed out for one role (a finding's path,
/// object, container, level): consecutive findings mostly repeat it, and
/// comparing with it costs less than a lookup in the interner's table
/// (hashing the string, then a likely cache miss on its slot and another
/// on the stored copy). Lookups were a third of the pod-security
/// findings' cost on the k8s bench corpus.
#[derive(Debug, Default)]
pub struct Recent(Option<Arc<str>>);

impl Recent {
    /// A shared copy of `s`, from this slot when it holds `s`, else from
    /// `strings` (and kept here).
    pub fn get(&mut self, s: &str, strings: &mut Interner) -> Arc<str> {
        if let Some(last) = &self.0
            && **last == *s
        {
            return last.clone();
        }
        let shared = strings.get(s);
        self.0 = Some(shared.clone());
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recent_slot_hands_out_the_interned_copy() {
        let mut strings = Interner::default();
        let mut slot = Recent::default();
        let a = slot.get("Deployment/ns/app", &mut strings);
        let b = slot.get("Deployment/ns/app", &mut strings);
        assert!(Arc::ptr_eq(&a, &b));
        let c = slot.get("Pod/ns/other", &mut strings);
        assert_eq!(&*c, "Pod/ns/other");
        // back to the first: the interner still has it
        let d = slot.get("Deployment/ns/app", &mut strings);
        assert!(Arc::ptr_eq(&a, &d));
        assert!(Arc::ptr_eq(&strings.get("Pod/ns/other"), &c));
    }

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
