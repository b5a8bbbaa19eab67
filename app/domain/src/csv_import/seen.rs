//! The addresses an upload has had so far, each with the line it was first on: how a repeated
//! address is found. They are kept one after another in one string (100,000 addresses are a
//! handful of allocations, not 100,000), found by their Fx hash (the file is the admin's own, so
//! the hash needs no protection against chosen collisions, and Fx hashes a word at a time) and
//! compared in full, so two addresses that share a hash are still told apart.

use std::collections::{HashMap, hash_map::Entry};
use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// Every address seen, one after another.
    text: String,
    /// An address's hash → the first address with that hash.
    first: HashMap<u64, Place, FxBuildHasher>,
    /// Later addresses whose hash an earlier, different address has (next to never).
    clashes: Vec<(u64, Place)>,
}

/// An address in `Seen::text`, and its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    from: usize,
    to: usize,
    line: usize,
}

/// Room for an address of usual length.
const USUAL_LEN: usize = 24;

impl Seen {
    /// For about `addresses` addresses.
    pub fn with_capacity(addresses: usize) -> Seen {
        Seen {
            text: String::with_capacity(addresses.saturating_mul(USUAL_LEN)),
            first: HashMap::with_capacity_and_hasher(addresses, FxBuildHasher),
            clashes: Vec::new(),
        }
    }

    /// The line `address` was first on; `None` when it is new (it is then noted, on `line`).
    pub fn first_line(&mut self, address: &str, line: usize) -> Option<usize> {
        self.first_line_by(FxBuildHasher.hash_one(address), address, line)
    }

    fn first_line_by(&mut self, hash: u64, address: &str, line: usize) -> Option<usize> {
        let Seen {
            text,
            first,
            clashes,
        } = self;
        let holds = |text: &str, place: &Place| &text[place.from..place.to] == address;
        match first.entry(hash) {
            Entry::Occupied(entry) if holds(text, entry.get()) => Some(entry.get().line),
            Entry::Occupied(_) => {
                if let Some((_, place)) = clashes
                    .iter()
                    .find(|(h, place)| *h == hash && holds(text, place))
                {
                    return Some(place.line);
                }
                let place = note(text, address, line);
                clashes.push((hash, place));
                None
            }
            Entry::Vacant(entry) => {
                entry.insert(note(text, address, line));
                None
            }
        }
    }
}

fn note(text: &mut String, address: &str, line: usize) -> Place {
    let from = text.len();
    text.push_str(address);
    Place {
        from,
        to: text.len(),
        line,
    }
}

#[cfg(test)]
mod tests {
    use super::Seen;

    #[test]
    fn an_address_seen_before_gives_the_line_it_was_first_on() {
        let mut seen = Seen::with_capacity(4);
        assert_eq!(seen.first_line("ann@x.io", 2), None);
        assert_eq!(seen.first_line("bob@x.io", 3), None);
        assert_eq!(seen.first_line("ann@x.io", 7), Some(2));
        assert_eq!(seen.first_line("bob@x.io", 9), Some(3));
        assert_eq!(seen.first_line("ann@x.io.uk", 10), None);
    }

    #[test]
    fn different_addresses_that_share_a_hash_are_told_apart() {
        let mut seen = Seen::default();
        assert_eq!(seen.first_line_by(42, "ann@x.io", 2), None);
        assert_eq!(seen.first_line_by(42, "bob@x.io", 3), None);
        assert_eq!(seen.first_line_by(42, "cy@x.io", 4), None);
        assert_eq!(seen.first_line_by(42, "bob@x.io", 5), Some(3));
        assert_eq!(seen.first_line_by(42, "cy@x.io", 6), Some(4));
        assert_eq!(seen.first_line_by(42, "ann@x.io", 7), Some(2));
        // The same address under another hash is not this one's business.
        assert_eq!(seen.first_line_by(7, "ann@x.io", 8), None);
    }
}
