//! Short labels for permission sets, distinct across the organization, for the matrix cells.
//!
//! A name splits into words (at separators, lower→upper case changes, letter↔digit changes
//! and the end of an acronym: `AWSReadOnlyAccess` → AWS, Read, Only, Access). A label starts
//! as the initial of every word, capitalised, with numbers kept whole and without leading zeros
//! (`ReadOnlyAccess` → `ROA`, `Custom-0012-app-deploy` → `C12AD`). While labels collide
//! (ignoring case), every member of a collision group takes one more letter of the first word
//! in which their names differ (`SecurityAudit`, `SystemAdministrator` → `SeA`, `SyA`); the
//! few that still collide (names equal but for case or separators) get a number in name order.
//! The result depends only on the set of names, never on the order they come in.

use std::collections::{BTreeMap, HashMap, HashSet};

struct Word {
    /// The characters a label can take from the word, lowercase but for a number.
    chars: Vec<char>,
    /// Numbers are identifiers: a label takes them whole from the start.
    number: bool,
}

/// Splits a name into words; see the module comment.
pub(super) fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            continue;
        }
        if let Some(&prev) = word.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_ascii_digit() != c.is_ascii_digit())
                // The last capital of an acronym starts the next word: AWSRead → AWS, Read.
                || (prev.is_uppercase()
                    && c.is_uppercase()
                    && next.is_some_and(char::is_lowercase));
            if boundary {
                out.push(std::mem::take(&mut word));
            }
        }
        word.push(c);
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn parse(name: &str) -> Vec<Word> {
    words(name)
        .into_iter()
        .map(|w| {
            let number = w.chars().all(|c| c.is_ascii_digit());
            let chars = if number {
                let trimmed = w.trim_start_matches('0');
                let digits = if trimmed.is_empty() { "0" } else { trimmed };
                digits.chars().collect()
            } else {
                w.chars().flat_map(char::to_lowercase).collect()
            };
            Word { chars, number }
        })
        .collect()
}

fn compose(words: &[Word], taken: &[usize]) -> String {
    let mut label = String::new();
    for (word, &n) in words.iter().zip(taken) {
        for (i, c) in word.chars.iter().take(n).enumerate() {
            if i == 0 && !word.number {
                label.extend(c.to_uppercase());
            } else {
                label.push(*c);
            }
        }
    }
    label
}

/// Distinct short labels for `(key, name)` pairs, by key.
pub(super) fn short_labels<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> HashMap<String, String> {
    // Sorted by (name, key): the order of the final numbering, and independent of the input's.
    let mut items: Vec<(&str, &str)> = items.into_iter().collect();
    items.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
    items.dedup_by(|a, b| a.0 == b.0);
    let parsed: Vec<Vec<Word>> = items
        .iter()
        .map(|(key, name)| {
            let words = parse(name);
            // A name without letters or digits: fall back to the key's last part.
            if words.is_empty() {
                parse(key.rsplit('/').next().unwrap_or(key))
            } else {
                words
            }
        })
        .collect();
    let mut taken: Vec<Vec<usize>> = parsed
        .iter()
        .map(|words| {
            words
                .iter()
                .map(|w| if w.number { w.chars.len() } else { 1 })
                .collect()
        })
        .collect();
    loop {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, words) in parsed.iter().enumerate() {
            groups
                .entry(compose(words, &taken[i]).to_lowercase())
                .or_default()
                .push(i);
        }
        let mut progressed = false;
        for members in groups.values().filter(|m| m.len() > 1) {
            progressed |= extend(members, &parsed, &mut taken);
        }
        if !progressed {
            break;
        }
    }
    let mut used = HashSet::new();
    let mut out = HashMap::with_capacity(items.len());
    for (i, (key, _)) in items.iter().enumerate() {
        let mut base = compose(&parsed[i], &taken[i]);
        if base.is_empty() {
            base.push('?');
        }
        let mut label = base.clone();
        let mut n = 1;
        while !used.insert(label.to_lowercase()) {
            n += 1;
            label = format!("{base}{n}");
        }
        out.insert((*key).to_string(), label);
    }
    out
}

/// Takes one more letter of the first word in which the members' names differ and that can
/// still give one. Returns whether anything changed.
fn extend(members: &[usize], parsed: &[Vec<Word>], taken: &mut [Vec<usize>]) -> bool {
    let words = members.iter().map(|&m| parsed[m].len()).max().unwrap_or(0);
    for w in 0..words {
        let word_of = |m: usize| parsed[m].get(w).map(|x| &x.chars);
        let first = word_of(members[0]);
        let differ = members.iter().any(|&m| word_of(m) != first);
        let room = |taken: &[Vec<usize>], m: usize| {
            parsed[m]
                .get(w)
                .is_some_and(|x| taken[m][w] < x.chars.len())
        };
        if differ && members.iter().any(|&m| room(taken, m)) {
            for &m in members {
                if room(taken, m) {
                    taken[m][w] += 1;
                }
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_of(names: &[&str]) -> Vec<String> {
        let keys: Vec<String> = names.iter().map(|n| format!("arn/{n}")).collect();
        let map = short_labels(keys.iter().map(String::as_str).zip(names.iter().copied()));
        keys.iter().map(|k| map[k].clone()).collect()
    }

    #[test]
    fn splits_camel_case_acronyms_numbers_and_separators() {
        assert_eq!(
            words("AWSReadOnlyAccess"),
            ["AWS", "Read", "Only", "Access"]
        );
        assert_eq!(words("EC2FullAccess"), ["EC", "2", "Full", "Access"]);
        assert_eq!(
            words("Custom-0012-app_deploy"),
            ["Custom", "0012", "app", "deploy"]
        );
        assert_eq!(words("--"), Vec::<String>::new());
    }

    #[test]
    fn initials_then_the_first_differing_word() {
        assert_eq!(
            labels_of(&[
                "AdministratorAccess",
                "ReadOnlyAccess",
                "SecurityAudit",
                "SystemAdministrator",
                "DatabaseAdministrator",
                "DeveloperAccess",
                "Custom-0012-app-deploy",
                "Custom-0013-app-deploy",
                "Dev",
                "Developers",
            ]),
            [
                "AA", "ROA", "SeA", "SyA", "DaA", "DeA", "C12AD", "C13AD", "Dev", "Deve"
            ]
        );
    }

    #[test]
    fn names_equal_but_for_case_get_numbers() {
        assert_eq!(labels_of(&["read-only", "ReadOnly"]), ["RO2", "RO"]);
        assert_eq!(labels_of(&["", "!!"]).len(), 2);
    }
}
