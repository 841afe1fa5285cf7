//! Fuzzy filtering of a pane's rows, incremental while the query only grows so that typing
//! stays instant on long lists.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// A row that matched: its position in the unfiltered list and the matched character
/// positions in its haystack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub item: usize,
    pub score: i64,
    pub indices: Vec<usize>,
}

pub struct FuzzyFilter {
    matcher: SkimMatcherV2,
    /// The last query and its hits, reused when the next query extends it.
    last: Option<(String, Vec<Hit>)>,
}

impl Default for FuzzyFilter {
    fn default() -> Self {
        Self {
            matcher: SkimMatcherV2::default().smart_case(),
            last: None,
        }
    }
}

impl std::fmt::Debug for FuzzyFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FuzzyFilter").finish_non_exhaustive()
    }
}

impl FuzzyFilter {
    /// Forget cached results: the haystacks changed.
    pub fn invalidate(&mut self) {
        self.last = None;
    }

    /// The hits of `query` among `haystacks`, best first (ties keep list order).
    pub fn apply(&mut self, query: &str, haystacks: &[String]) -> Vec<Hit> {
        // A longer query matches a subset of what a prefix of it matched: only those need
        // scoring again.
        let candidates: Box<dyn Iterator<Item = usize>> = match &self.last {
            Some((prev, hits)) if !prev.is_empty() && query.starts_with(prev.as_str()) => {
                let mut items: Vec<usize> = hits.iter().map(|h| h.item).collect();
                items.sort_unstable();
                Box::new(items.into_iter())
            }
            _ => Box::new(0..haystacks.len()),
        };
        let mut hits: Vec<Hit> = candidates
            .filter_map(|item| {
                let text = haystacks.get(item)?;
                self.matcher
                    .fuzzy_indices(text, query)
                    .map(|(score, indices)| Hit {
                        item,
                        score,
                        indices,
                    })
            })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.item.cmp(&b.item)));
        self.last = Some((query.to_string(), hits.clone()));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn best_match_first_with_indices() {
        let hay = texts(&["payments-dev", "sandbox-pat", "payments-prod"]);
        let mut f = FuzzyFilter::default();
        let hits = f.apply("payprod", &hay);
        assert_eq!(hits.first().map(|h| h.item), Some(2));
        assert_eq!(hits[0].indices.len(), 7);
        assert!(f.apply("zzz", &hay).is_empty());
    }

    proptest! {
        /// Narrowing incrementally gives the same hits as filtering from scratch.
        #[test]
        fn incremental_equals_fresh(words in proptest::collection::vec("[a-c]{0,6}", 0..30), query in "[a-c]{1,4}") {
            let mut incremental = FuzzyFilter::default();
            for end in 1..=query.len() {
                incremental.apply(&query[..end], &words);
            }
            let from_inc = incremental.apply(&query, &words);
            let fresh = FuzzyFilter::default().apply(&query, &words);
            prop_assert_eq!(from_inc, fresh);
        }
    }
}
