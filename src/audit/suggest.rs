//! "Did you mean": the names closest to one that matched nothing.

/// Up to `max` candidates close to `query`, closest first: those that contain it (or that it
/// contains), then by Jaro-Winkler similarity, ignoring case. Candidates too far to be what
/// was meant are left out, so the answer may be empty.
pub fn closest<'a>(
    query: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    // Below this, names share little more than their alphabet.
    const THRESHOLD: f64 = 0.7;
    let q = query.trim().to_lowercase();
    let mut scored: Vec<(f64, f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let l = c.to_lowercase();
            let contains = !q.is_empty() && (l.contains(&q) || (l.len() >= 3 && q.contains(&l)));
            let similarity = strsim::jaro_winkler(&q, &l);
            let score = if contains {
                1.0 + similarity
            } else {
                similarity
            };
            // Between names that differ only in case, the one written like the query first.
            let cased = strsim::jaro_winkler(query.trim(), c);
            (score >= THRESHOLD).then_some((score, cased, c))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| b.1.total_cmp(&a.1))
            .then_with(|| a.2.cmp(b.2))
    });
    let mut out: Vec<&str> = Vec::with_capacity(max);
    for (_, _, c) in scored {
        if out.len() == max {
            break;
        }
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNTS: [&str; 6] = [
        "payments-prod",
        "payments-dev",
        "payments-staging",
        "web-storefront-prod",
        "log-archive",
        "Zürich Analytics (legacy)",
    ];

    #[test]
    fn typos_find_the_name_first() {
        assert_eq!(closest("paymnts-prod", ACCOUNTS, 3)[0], "payments-prod");
        assert_eq!(closest("LOG-ARCHIV", ACCOUNTS, 3), ["log-archive"]);
        assert_eq!(
            closest("zurich analytics", ACCOUNTS, 3),
            ["Zürich Analytics (legacy)"]
        );
    }

    #[test]
    fn substrings_rank_above_lookalikes_and_at_most_max_come_back() {
        let found = closest("payments", ACCOUNTS, 2);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.starts_with("payments")), "{found:?}");
        assert_eq!(closest("payments", ACCOUNTS, 0), Vec::<&str>::new());
    }

    #[test]
    fn nothing_close_means_no_suggestion_and_duplicates_come_once() {
        assert!(closest("qqqqqqqq", ACCOUNTS, 3).is_empty());
        assert_eq!(closest("dup", ["dup", "dup"], 3), ["dup"]);
        assert!(closest("", ACCOUNTS, 3).len() <= 3);
    }
}
